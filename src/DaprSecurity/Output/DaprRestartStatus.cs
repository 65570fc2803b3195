namespace DaprSecurity.Output;

/// <summary>What Restart-DaprDeployment did to one workload.</summary>
public enum DaprRestartStatus
{
    /// <summary>Restarted (kubectl rollout restart); its rollout was not awaited.</summary>
    Restarted,

    /// <summary>Restarted, and its rollout completed.</summary>
    RolledOut,

    /// <summary>Restarted, but its rollout failed (progress deadline exceeded).</summary>
    Failed,

    /// <summary>Restarted, but its rollout did not finish within -Timeout.</summary>
    TimedOut,

    /// <summary>A paused Deployment: not restarted.</summary>
    Paused,

    /// <summary>Its pods already started after the token secret changed: not restarted (use -Force to restart anyway).</summary>
    UpToDate,

    /// <summary>Not restarted because an earlier rollout failed while waiting (-Wait).</summary>
    Skipped,
}
