namespace DaprSecurity.KubeApiServer;

/// <summary>Settings fixed at start. Latency and faults can also be changed later through <see cref="KubeApiServer.Faults"/>.</summary>
public sealed class KubeApiServerOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Added to every request.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>A uniformly random extra of up to this much per request.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>How long the controllers take to report a rollout (0 reports it as soon as the pods exist).</summary>
    public TimeSpan ControllerDelay { get; init; }

    /// <summary>Seed of the random source behind probabilistic faults and jitter, for repeatable runs.</summary>
    public int RandomSeed { get; init; }

    /// <summary>How many events are kept for watch replay; older resourceVersions get 410 Expired.</summary>
    public int EventLogCapacity { get; init; } = 10_000;

    /// <summary>The admin user's bearer token; random when not set.</summary>
    public string? AdminToken { get; init; }
}
