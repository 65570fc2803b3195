namespace DaprSecurity.Abstractions;

/// <summary>
/// What the Kubernetes API answered when a call failed: the HTTP status and, from its Status body, the reason and the
/// resource (plural, e.g. <c>secrets</c>) and name it was about. Callers match on these, never on message text.
/// </summary>
public sealed record KubeApiFailure(int StatusCode, string? Reason, string? Resource, string? Name);
