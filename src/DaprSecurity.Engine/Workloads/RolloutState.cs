namespace DaprSecurity.Engine.Workloads;

/// <summary>A rollout's phase with kubectl's wording of why (for example "2 of 3 updated replicas are available").</summary>
public sealed record RolloutState(RolloutPhase Phase, string Message)
{
    public static RolloutState Complete { get; } = new(RolloutPhase.Complete, "successfully rolled out");

    public static RolloutState Progressing(string message) => new(RolloutPhase.Progressing, message);

    public static RolloutState Failed(string message) => new(RolloutPhase.Failed, message);
}
