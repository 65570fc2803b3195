using System.Management.Automation;

namespace DaprSecurity.Output;

/// <summary>
/// One app against every component (Get-DaprAccessMatrix -Pivot). Besides these properties, each row carries one
/// extra property per component name, True/False (empty when the component is not in the app's namespace), so the
/// rows read like the app-by-component tables of the Dapr security guides: pipe them to Format-Table.
/// </summary>
public sealed class DaprAccessPivotRow : DaprClusterObject
{
    public string Namespace { get; init; } = "";

    public string AppId { get; init; } = "";

    /// <summary>Component name to access, for the components of the app's namespace, in column order. Hidden, so Export-Csv gives only the plain per-component columns.</summary>
    [Hidden]
    public IReadOnlyDictionary<string, bool> Access { get; init; } = new Dictionary<string, bool>();

    public override string ToString() => AppId;
}
