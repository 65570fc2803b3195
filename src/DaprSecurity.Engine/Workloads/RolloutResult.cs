namespace DaprSecurity.Engine.Workloads;

/// <summary>The end of a wait: the workload as last read, and kubectl-style words about it.</summary>
public sealed record RolloutResult(Workload Workload, RolloutStatus Status, string Message);
