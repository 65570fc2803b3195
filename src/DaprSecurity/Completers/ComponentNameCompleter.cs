using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;

namespace DaprSecurity.Completers;

/// <summary>Completes the names of the Dapr components in the typed -Namespace (default: all).</summary>
public sealed class ComponentNameCompleter : ClusterNameCompleter
{
    private protected override IEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
        => EngineServices.Get<IComponentScopeService>().GetFromCluster(cluster, new ComponentQuery(ns == "*" ? null : new[] { ns }, null), host).Select(c => c.Name);
}
