namespace DaprSecurity.Engine.Workloads;

/// <summary>Where a workload's rollout stands.</summary>
public enum RolloutPhase
{
    Complete,
    Progressing,
    Failed,
}
