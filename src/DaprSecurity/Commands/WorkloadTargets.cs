using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands;

/// <summary>Workloads and namespaces collected from every pipeline object, turned into one selection at the end.</summary>
internal sealed class WorkloadTargets
{
    private readonly List<WorkloadReference> _workloads = new();
    private readonly List<string> _namespaces = new();

    public void Add(IEnumerable<DaprWorkloadInfo> workloads, IEnumerable<string> namespaces)
    {
        _workloads.AddRange(workloads.Select(w => new WorkloadReference(w.Namespace, w.Kind, w.Name)));
        _namespaces.AddRange(namespaces);
    }

    public WorkloadSelection Selection(IReadOnlyList<string>? names) => new(_workloads, _namespaces, names);
}
