using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;

namespace DaprSecurity.Completers;

/// <summary>Completes the names of the token secrets in the typed -Namespace (default: all).</summary>
public sealed class TokenSecretNameCompleter : ClusterNameCompleter
{
    private protected override async IAsyncEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host)
    {
        await foreach (var secret in EngineServices.Get<ITokenSecretService>().GetAsync(cluster, new[] { ns }, null, host, host.CancellationToken).ConfigureAwait(false))
        {
            yield return secret.SecretName;
        }
    }
}
