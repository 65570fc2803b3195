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

/// <summary>Token secrets in the cluster: distribute, inspect, remove.</summary>
public interface ITokenSecretService
{
    /// <summary>Creates or updates the secret in each selected namespace; streams one result per namespace as writes complete.</summary>
    IEnumerable<DaprTokenSecretResult> Set(IClusterConnection cluster, SetTokenSecretRequest request, IEngineHost host);

    /// <summary>The token secrets of the selected namespaces (names or wildcards), limited to <paramref name="secretNames"/> when given.</summary>
    IEnumerable<DaprTokenSecretInfo> Get(IClusterConnection cluster, IReadOnlyList<string> namespaces, IReadOnlyList<string>? secretNames, IEngineHost host);

    /// <summary>Deletes the secret in each selected namespace, refusing while workloads reference it unless forced.</summary>
    IEnumerable<DaprTokenSecretResult> Remove(IClusterConnection cluster, RemoveTokenSecretRequest request, IEngineHost host);
}
