using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>The outcome of restarting one workload.</summary>
public sealed class DaprRestartResult : DaprClusterObject
{
    [TableColumn(0, Width = 14)]
    public string Namespace { get; init; } = "";

    [TableColumn(1, Width = 11)]
    public DaprWorkloadKind Kind { get; init; }

    [TableColumn(2, Width = 16)]
    public string Name { get; init; } = "";

    [TableColumn(3, Width = 10)]
    public DaprRestartStatus Status { get; init; }

    /// <summary>The restartedAt value set on the pod template; null when it was not restarted.</summary>
    [TableColumn(5, Wide = true)]
    public DateTimeOffset? RestartedAt { get; init; }

    /// <summary>Why, in kubectl's words where it applies (for example "2 of 3 updated replicas are available").</summary>
    [TableColumn(4, Width = 24)]
    public string Message { get; init; } = "";

    public override string ToString() => $"{Kind} {Namespace}/{Name}: {Status}";
}
