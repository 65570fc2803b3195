using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Hosting;

namespace DaprSecurity.Completers;

/// <summary>Completes namespace names (-Namespace, -ControlPlaneNamespace, Get-DaprNamespace -Name) from the cluster.</summary>
public sealed class NamespaceCompleter : ClusterNameCompleter
{
    private protected override IAsyncEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
        => Streams.Of(EngineServices.Get<IWorkloadService>().GetNamespaces(cluster, new[] { "*" }, host).Select(n => n.Name));
}
