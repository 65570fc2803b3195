using System.Collections;
using System.Management.Automation;
using DaprSecurity.Output;
using DaprSecurity.Text;

namespace DaprSecurity.Transformations;

/// <summary>
/// Lets a -Namespace parameter take Kubernetes objects by their kind: a Namespace item of
/// <c>kubectl get ns -o json | ConvertFrom-Json</c> (or a kind-less object such as KubernetesClient's V1Namespace) gives
/// its metadata.name, a <c>kubectl get ns -o name</c> string (<c>namespace/shop</c>) the name after the slash. An item of
/// any other kind is an error for this parameter, never a namespace named like it, so PowerShell binds it to the
/// parameter that takes its kind (<see cref="Takes"/>, e.g. -InputObject for Deployment items; a reader's -InputObject refuses other kinds itself, <see cref="KubeObjectTransformationAttribute.RefusesOtherKinds"/>) or reports the error. Plain strings pass
/// through; this module's objects are left for binding by property name (Namespace).
/// A piped kubeconfig context (Get-DaprContext) or file (Get-ChildItem) is never a namespace: it binds to -Context or
/// -Path, and here means every namespace for a cmdlet that reads (<see cref="ReadsAll"/>), or is refused for one that
/// changes things.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NamespaceNameTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>A piped context or file reads every namespace of its cluster or files (Get cmdlets) instead of being refused.</summary>
    public bool ReadsAll { get; set; }

    /// <summary>Kinds of Kubernetes objects the cmdlet takes through another parameter ("Workload" for Deployment, StatefulSet and DaemonSet), named in the error for a kind it does not take.</summary>
    public string[] Takes { get; set; } = Array.Empty<string>();

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            null => inputData, // $null is PowerShell's to refuse, with its own clear message
            string text => NameOf(text)!,
            DaprToken => throw new ArgumentTransformationMetadataException("A token is not a namespace. Name the namespaces with -Namespace, for example -Namespace prod-*."),
            DaprContextInfo or FileSystemInfo when ReadsAll => "*",
            DaprContextInfo context => throw new ArgumentTransformationMetadataException($"'{context.Name}' is a kubeconfig context, not a namespace. Name the namespaces with -Namespace; the context binds to -Context."),
            IList items => items.Cast<object>().Select(NameOf).ToArray(),
            _ => NameOf(inputData)!,
        };

    private object? NameOf(object? item)
    {
        if (item is null)
        {
            return null;
        }

        if (ReadsAll && (item is PSObject wrapped ? wrapped.BaseObject : item) is DaprClusterObject { PipedNamespace: { } ownNamespace })
        {
            // A reader's default set takes its own kind; this module's other objects then name their namespace by value
            // (a writer leaves them to its parameter that takes them whole).
            return ownNamespace;
        }

        if (KubeObjectReference.From(item) is { } reference)
        {
            // Refused even when another parameter takes the kind: returned as it is, PowerShell would bind its text here.
            return reference.Kind == KubeObjectReference.NamespaceKind ? reference.Name
                : throw new ArgumentTransformationMetadataException($"'{UntrustedText.Sanitize(reference.ToString())}' is a {UntrustedText.Sanitize(reference.Kind)}, not a namespace. {Taken()}");
        }

        return item is not string && PSObject.AsPSObject(item).Properties["metadata"]?.Value is { } metadata && PSObject.AsPSObject(metadata).Properties["name"]?.Value is string name
            ? name
            : item;
    }

    private string Taken() => KubeObjectReference.TakenKinds(Takes);
}
