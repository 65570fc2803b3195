using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// Which workloads to act on: <paramref name="Workloads"/> named one by one, and/or every Dapr-enabled workload in the
/// namespaces <paramref name="Namespaces"/> selects whose name matches <paramref name="Names"/> (null: all) and whose kind
/// is one of <paramref name="Kinds"/> (null: every kind).
/// </summary>
public sealed record WorkloadSelection(IReadOnlyList<WorkloadReference> Workloads, IReadOnlyList<string> Namespaces, IReadOnlyList<string>? Names, IReadOnlyList<DaprWorkloadKind>? Kinds = null)
{
    /// <summary>Whether a workload of <paramref name="kind"/> is selected by <see cref="Kinds"/>.</summary>
    public bool SelectsKind(DaprWorkloadKind kind) => Kinds is null || Kinds.Contains(kind);
}
