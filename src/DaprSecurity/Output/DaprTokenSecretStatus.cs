namespace DaprSecurity.Output;

/// <summary>The health of one token secret reference, as Get-DaprTokenSecret sees it.</summary>
public enum DaprTokenSecretStatus
{
    /// <summary>The secret exists with a usable token, and workloads use it.</summary>
    InUse,

    /// <summary>The secret exists with a usable token, but no workload references it.</summary>
    Unused,

    /// <summary>Workloads reference the secret but it does not exist: their pods fail with CreateContainerConfigError.</summary>
    Dangling,

    /// <summary>The secret exists but has no "token" key, the only key Dapr reads: pods fail with CreateContainerConfigError.</summary>
    MissingKey,

    /// <summary>The token contains whitespace, control or non-ASCII characters (often a trailing newline), so it never matches.</summary>
    Malformed,
}
