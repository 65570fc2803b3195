using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>Token secrets in the cluster: distribute, inspect, remove. Every call streams its results and stops when <c>cancellationToken</c> is cancelled (Ctrl+C).</summary>
public interface ITokenSecretService
{
    /// <summary>Creates or updates the secret in each selected namespace; streams one result per namespace as writes complete.</summary>
    IAsyncEnumerable<DaprTokenSecretResult> SetAsync(IClusterConnection cluster, SetTokenSecretRequest request, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>The token secrets of the selected namespaces (names or wildcards), limited to <paramref name="secretNames"/> when given.</summary>
    IAsyncEnumerable<DaprTokenSecretInfo> GetAsync(IClusterConnection cluster, IReadOnlyList<string> namespaces, IReadOnlyList<string>? secretNames, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Deletes the secret in each selected namespace, refusing while workloads reference it unless forced.</summary>
    IAsyncEnumerable<DaprTokenSecretResult> RemoveAsync(IClusterConnection cluster, RemoveTokenSecretRequest request, IEngineHost host, CancellationToken cancellationToken);
}
