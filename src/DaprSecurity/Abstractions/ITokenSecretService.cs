using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// What Set-DaprTokenSecret asks for: write <paramref name="Token"/> as <paramref name="Kind"/> into the secret
/// <paramref name="SecretName"/> (null: the kind's default name) of every namespace that <paramref name="Namespaces"/>
/// (names or wildcards) selects, at most <paramref name="ThrottleLimit"/> at a time.
/// </summary>
public sealed record SetTokenSecretRequest(DaprToken Token, DaprTokenKind Kind, string? SecretName, IReadOnlyList<string> Namespaces, int ThrottleLimit);

/// <summary>What Remove-DaprTokenSecret asks for; <paramref name="Force"/> deletes secrets that workloads still reference.</summary>
public sealed record RemoveTokenSecretRequest(DaprTokenKind Kind, string? SecretName, IReadOnlyList<string> Namespaces, bool Force);

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
