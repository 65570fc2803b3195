using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Workloads;

/// <summary>How one workload of a wave ended: its rollout, its error, or neither when it was skipped because an earlier one went wrong.</summary>
public sealed record WaveOutcome(RolloutTarget Target, RolloutResult? Rollout, DaprSecurityException? Error)
{
    public bool Skipped => Rollout is null && Error is null;

    public bool WentWrong => Error is not null || Rollout is { Status: not RolloutStatus.Complete };
}
