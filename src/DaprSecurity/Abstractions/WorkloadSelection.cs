namespace DaprSecurity.Abstractions;

/// <summary>
/// Which workloads to act on: <paramref name="Workloads"/> named one by one, and/or every Dapr-enabled workload in the
/// namespaces <paramref name="Namespaces"/> selects whose name matches <paramref name="Names"/> (null: all).
/// </summary>
public sealed record WorkloadSelection(IReadOnlyList<WorkloadReference> Workloads, IReadOnlyList<string> Namespaces, IReadOnlyList<string>? Names);
