using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// What Set-DaprTokenSecret asks for: write <paramref name="Token"/> as <paramref name="Kind"/> into the secret
/// <paramref name="SecretName"/> (null: the kind's default name) of every namespace that <paramref name="Namespaces"/>
/// (names or wildcards) selects, at most <paramref name="ThrottleLimit"/> at a time.
/// </summary>
public sealed record SetTokenSecretRequest(DaprToken Token, DaprTokenKind Kind, string? SecretName, IReadOnlyList<string> Namespaces, int ThrottleLimit);
