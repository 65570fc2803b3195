using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Hosting;

namespace DaprSecurity.Completers;

/// <summary>Completes namespace names (-Namespace, -ControlPlaneNamespace, Get-DaprNamespace -Name) from the cluster.</summary>
public sealed class NamespaceCompleter : ClusterNameCompleter
{
    private protected override IAsyncEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
        => Streams.Select(EngineServices.Get<IWorkloadService>().GetNamespacesAsync(cluster, new[] { "*" }, host, host.CancellationToken), n => n.Name);
}
