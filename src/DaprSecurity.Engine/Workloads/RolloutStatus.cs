namespace DaprSecurity.Engine.Workloads;

/// <summary>How a rollout that was waited for ended.</summary>
public enum RolloutStatus
{
    Complete,
    Failed,
    TimedOut,
}
