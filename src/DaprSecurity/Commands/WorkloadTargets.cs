using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands;

/// <summary>Workloads and namespaces collected from every pipeline object, per cluster, turned into one selection per cluster at the end.</summary>
internal sealed class WorkloadTargets
{
    private readonly List<(TargetCluster Cluster, List<WorkloadReference> Workloads, List<string> Namespaces)> _clusters = new();

    public void Add(TargetCluster cluster, IEnumerable<DaprWorkloadInfo> workloads, IEnumerable<string> namespaces)
    {
        var index = _clusters.FindIndex(c => c.Cluster == cluster);
        if (index < 0)
        {
            _clusters.Add((cluster, new List<WorkloadReference>(), new List<string>()));
            index = _clusters.Count - 1;
        }

        _clusters[index].Workloads.AddRange(workloads.Select(w => new WorkloadReference(w.Namespace, w.Kind, w.Name)));
        _clusters[index].Namespaces.AddRange(namespaces);
    }

    public IReadOnlyList<(TargetCluster Cluster, WorkloadSelection Selection)> Selections(IReadOnlyList<string>? names)
        => _clusters.Select(c => (c.Cluster, new WorkloadSelection(c.Workloads.Distinct().ToList(), c.Namespaces.Distinct(StringComparer.Ordinal).ToList(), names))).ToList();
}
