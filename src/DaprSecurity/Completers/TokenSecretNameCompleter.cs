using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;

namespace DaprSecurity.Completers;

/// <summary>Completes the names of the token secrets in the typed -Namespace (default: all).</summary>
public sealed class TokenSecretNameCompleter : ClusterNameCompleter
{
    private protected override IEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
        => EngineServices.Get<ITokenSecretService>().Get(cluster, new[] { ns }, null, host).Select(s => s.SecretName);
}
