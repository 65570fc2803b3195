using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Hosting;

namespace DaprSecurity.Completers;

/// <summary>Completes the app-ids of the Dapr workloads in the typed -Namespace (default: all).</summary>
public sealed class AppIdCompleter : ClusterNameCompleter
{
    private protected override IAsyncEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
        => Streams.Select(EngineServices.Get<IWorkloadService>().GetWorkloadsAsync(cluster, new WorkloadSelection(Array.Empty<WorkloadReference>(), new[] { ns }, null), host, host.CancellationToken), w => w.AppId ?? w.Name);
}
