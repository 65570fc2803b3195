using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>Namespaces and Dapr workloads: list, annotate, restart.</summary>
public interface IWorkloadService
{
    IAsyncEnumerable<DaprNamespaceInfo> GetNamespacesAsync(IClusterConnection cluster, IReadOnlyList<string> names, IEngineHost host, CancellationToken cancellationToken);

    IAsyncEnumerable<DaprWorkloadInfo> GetWorkloadsAsync(IClusterConnection cluster, WorkloadSelection selection, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Changes the sidecar annotations (which rolls the pods of every workload it changes); streams the workloads as they are now.</summary>
    IAsyncEnumerable<DaprWorkloadInfo> SetSidecarAnnotationsAsync(IClusterConnection cluster, SidecarAnnotationRequest request, IEngineHost host, CancellationToken cancellationToken);

    IWorkloadRestarter CreateRestarter(IClusterConnection cluster, RestartOptions options, IEngineHost host);
}
