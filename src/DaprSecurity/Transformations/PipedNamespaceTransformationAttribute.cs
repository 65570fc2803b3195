using System.Management.Automation;

namespace DaprSecurity.Transformations;

/// <summary>
/// Makes a <see cref="PipedNamespaceReference"/> of a kubectl Namespace item or a 'namespace/name' string; anything else
/// is returned as it is, fails to convert, and is left for the cmdlet's other parameters (never an error here).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PipedNamespaceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => KubeObjectReference.From(inputData) is { Kind: KubeObjectReference.NamespaceKind } reference ? new PipedNamespaceReference(reference.Name) : inputData;
}
