namespace DaprSecurity.Abstractions;

/// <summary>An edit of the scopes list. <paramref name="Force"/> allows leaving a scoped component with no scopes (visible to every app).</summary>
public sealed record ScopeChange(ScopeChangeKind Kind, IReadOnlyList<string> AppIds, bool Force);
