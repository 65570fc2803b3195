using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;

namespace DaprSecurity.Completers;

/// <summary>Completes the names of the Dapr components in the typed -Namespace (default: all).</summary>
public sealed class ComponentNameCompleter : ClusterNameCompleter
{
    private protected override async IAsyncEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
    {
        await foreach (var component in EngineServices.Get<IComponentScopeService>().GetFromClusterAsync(cluster, new ComponentQuery(ns == "*" ? null : new[] { ns }, null), host, host.CancellationToken).ConfigureAwait(false))
        {
            yield return component.Name;
        }
    }
}
