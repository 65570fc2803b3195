namespace DaprSecurity.Abstractions;

/// <summary>
/// Sidecar settings to put on pod templates. For the three strings null leaves the annotation alone and "" removes it;
/// <paramref name="MountTokenInApp"/> also gives app containers the token env vars from the secrets (secretKeyRef);
/// <paramref name="Force"/> skips the check that the named secrets exist.
/// </summary>
public sealed record SidecarAnnotationRequest(
    WorkloadSelection Selection,
    string? AppTokenSecret,
    string? ApiTokenSecret,
    string? ListenAddresses,
    bool? EnableApiLogging,
    bool MountTokenInApp,
    bool Force);
