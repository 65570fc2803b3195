using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>What Remove-DaprTokenSecret asks for; <paramref name="Force"/> deletes secrets that workloads still reference.</summary>
public sealed record RemoveTokenSecretRequest(DaprTokenKind Kind, string? SecretName, IReadOnlyList<string> Namespaces, bool Force);
