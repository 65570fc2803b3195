using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One Dapr control-plane service, as Get-DaprControlPlane shows it (like a row of dapr status -k).</summary>
public sealed class DaprControlPlaneComponent : DaprClusterObject
{
    /// <summary>The workload name, e.g. dapr-sentry.</summary>
    [TableColumn(0)]
    public string Name { get; init; } = "";

    [TableColumn(1)]
    public string Namespace { get; init; } = "";

    public DaprControlPlaneRole Role { get; init; }

    /// <summary>Deployment or StatefulSet.</summary>
    public DaprWorkloadKind Kind { get; init; }

    /// <summary>True when every desired replica is ready and the latest rollout is complete.</summary>
    [TableColumn(2)]
    public bool Healthy { get; init; }

    /// <summary>Running, or why not: Waiting (CrashLoopBackOff), Terminated, Pending, Rolling out, Scaled to zero.</summary>
    [TableColumn(3)]
    public string Status { get; init; } = "";

    [TableColumn(4, AlignRight = true)]
    public int ReadyReplicas { get; init; }

    [TableColumn(5, AlignRight = true)]
    public int DesiredReplicas { get; init; }

    /// <summary>The image tag of the service's container.</summary>
    [TableColumn(6)]
    public string Version { get; init; } = "";

    /// <summary>How long its oldest pod has run, to the second (it starts again from zero after a restart).</summary>
    [TableColumn(7)]
    public TimeSpan Age { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>The control-plane services Dapr installs.</summary>
public enum DaprControlPlaneRole
{
    Sentry,
    Operator,
    Placement,
    Scheduler,
    SidecarInjector,
}
