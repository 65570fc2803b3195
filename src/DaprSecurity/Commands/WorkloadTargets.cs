using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands;

/// <summary>Workloads and namespaces collected from every pipeline object, per cluster, turned into one selection per cluster at the end.</summary>
internal sealed class WorkloadTargets
{
    private readonly PipelineBatches<TargetCluster, (WorkloadReference? Workload, string? Namespace)> _clusters = new();

    public void Add(TargetCluster cluster, IEnumerable<DaprWorkloadInfo> workloads, IEnumerable<string> namespaces)
        => _clusters.Add(
            cluster,
            workloads.Select(w => ((WorkloadReference?)new WorkloadReference(w.Namespace, w.Kind, w.Name), (string?)null))
                .Concat(namespaces.Select(n => ((WorkloadReference?)null, (string?)n))));

    public IReadOnlyList<(TargetCluster Cluster, WorkloadSelection Selection)> Selections(IReadOnlyList<string>? names)
        => _clusters.All
            .Select(b => (b.Key, new WorkloadSelection(b.Items.Select(i => i.Workload).OfType<WorkloadReference>().ToList(), b.Items.Select(i => i.Namespace).OfType<string>().ToList(), names)))
            .ToList();
}
