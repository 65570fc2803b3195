using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>A Dapr-enabled Deployment, StatefulSet or DaemonSet and its token settings.</summary>
public sealed class DaprWorkloadInfo
{
    [TableColumn(0)]
    public string Namespace { get; init; } = "";

    [TableColumn(1)]
    public DaprWorkloadKind Kind { get; init; }

    [TableColumn(2)]
    public string Name { get; init; } = "";

    /// <summary>dapr.io/app-id; null when unset (Dapr then uses each pod's name).</summary>
    [TableColumn(3)]
    public string? AppId { get; init; }

    /// <summary>dapr.io/app-token-secret: the secret daprd reads APP_API_TOKEN from.</summary>
    [TableColumn(4)]
    public string? AppTokenSecret { get; init; }

    /// <summary>dapr.io/api-token-secret: the secret daprd reads DAPR_API_TOKEN from.</summary>
    [TableColumn(5)]
    public string? ApiTokenSecret { get; init; }

    /// <summary>dapr.io/sidecar-listen-addresses; null means Dapr's default, [::1],127.0.0.1.</summary>
    public string? ListenAddresses { get; init; }

    /// <summary>dapr.io/enable-api-logging; null when unset (the Configuration decides).</summary>
    public bool? ApiLogging { get; init; }

    [TableColumn(6, AlignRight = true)]
    public int ReadyReplicas { get; init; }

    [TableColumn(7, AlignRight = true)]
    public int DesiredReplicas { get; init; }

    /// <summary>When its pods were last restarted on purpose (kubectl.kubernetes.io/restartedAt).</summary>
    public DateTimeOffset? LastRestart { get; init; }

    /// <summary>
    /// True when a token secret it uses holds a newer token than some of its pods (they keep the previous one until
    /// restarted); False when every pod holds the current token; empty (null) when it cannot tell: pods restarted by
    /// other means than this module within a second of the token change.
    /// </summary>
    [TableColumn(8)]
    public bool? TokenStale { get; init; }

    /// <summary>True for a paused Deployment, which Restart-DaprDeployment does not restart.</summary>
    public bool Paused { get; init; }

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
