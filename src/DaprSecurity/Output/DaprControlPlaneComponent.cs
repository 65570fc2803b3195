using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One Dapr control-plane service, as Get-DaprControlPlane shows it (like a row of dapr status -k).</summary>
public sealed class DaprControlPlaneComponent : DaprClusterObject
{
    /// <summary>The workload name, e.g. dapr-sentry.</summary>
    [TableColumn(0, Width = 21)]
    public string Name { get; init; } = "";

    [TableColumn(1, Width = 11)]
    public string Namespace { get; init; } = "";

    public DaprControlPlaneRole Role { get; init; }

    /// <summary>Deployment or StatefulSet.</summary>
    public DaprWorkloadKind Kind { get; init; }

    /// <summary>True when every desired replica is ready and the latest rollout is complete.</summary>
    [TableColumn(2, Width = 7)]
    public bool Healthy { get; init; }

    /// <summary>Running, or why not: Waiting (CrashLoopBackOff), Terminated, Pending, Rolling out, Scaled to zero.</summary>
    [TableColumn(5, Width = 20)]
    public string Status { get; init; } = "";

    public int ReadyReplicas { get; init; }

    public int DesiredReplicas { get; init; }

    /// <summary>The image tag of the service's container.</summary>
    [TableColumn(4, Width = 10)]
    public string Version { get; init; } = "";

    /// <summary>Ready and desired replicas, as kubectl shows them ("1/1").</summary>
    [TableColumn(3, Width = 5, AlignRight = true)]
    public string Ready => $"{ReadyReplicas}/{DesiredReplicas}";

    /// <summary>How long its oldest pod has run, to the second (it starts again from zero after a restart).</summary>
    [TableColumn(8, Wide = true)]
    public TimeSpan Age { get; init; }

    /// <summary><see cref="Age"/> in whole seconds, for Export-Csv and ConvertTo-Json.</summary>
    public long AgeSeconds => (long)Age.TotalSeconds;

    public override string ToString() => $"{Namespace}/{Name}";
}
