using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>A namespace as it matters to Dapr tokens. Pipe it to Set-DaprTokenSecret, Get-DaprDeployment or Restart-DaprDeployment.</summary>
public sealed class DaprNamespaceInfo : DaprClusterObject
{
    [TableColumn(0, Width = 23)]
    public string Name { get; init; } = "";

    /// <summary>Active, or Terminating while the namespace is being deleted (writes to it fail).</summary>
    [TableColumn(1, Width = 11)]
    public string Status { get; init; } = "";

    /// <summary>How many Deployments, StatefulSets and DaemonSets in it have dapr.io/enabled set.</summary>
    [TableColumn(2, Width = 13, AlignRight = true)]
    public int DaprWorkloads { get; init; }

    /// <summary>True when the secret app-api-token (the default for App tokens) exists in it.</summary>
    [TableColumn(3, Width = 14)]
    public bool AppTokenSecret { get; init; }

    /// <summary>True when the secret dapr-api-token (the default for Api tokens) exists in it.</summary>
    [TableColumn(4, Width = 14)]
    public bool ApiTokenSecret { get; init; }

    public override string ToString() => Name;
}
