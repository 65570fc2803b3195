using System.Management.Automation;
using DaprSecurity.Output;

namespace DaprSecurity.Transformations;

/// <summary>
/// Keeps a -Kind parameter that binds by property name from taking another enum's value: PowerShell would convert a
/// workload's Kind (StatefulSet = 1) to the token kind with the same number (Api). Such values mean "not given".
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DaprTokenKindTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is Enum other and not DaprTokenKind ? null : inputData;
}
