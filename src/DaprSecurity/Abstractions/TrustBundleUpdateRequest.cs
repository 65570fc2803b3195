namespace DaprSecurity.Abstractions;

/// <summary>
/// What Update-DaprTrustBundle was asked to do. Where the new bundle comes from: a recovery file when
/// <see cref="RestoreFrom"/> is set; PEM files when <see cref="RootCertificatePath"/> is set; a new issuer under the cluster's current root when <see cref="RootKeyPath"/>
/// is set; otherwise a newly generated root and issuer. Paths are file-system paths, already resolved.
/// </summary>
public sealed record TrustBundleUpdateRequest
{
    public string? ControlPlaneNamespace { get; init; }

    /// <summary>Validity of generated certificates, in days.</summary>
    public int ValidDays { get; init; } = 365;

    /// <summary>Key type of generated certificates.</summary>
    public DaprKeyAlgorithm KeyAlgorithm { get; init; }

    public string? RootCertificatePath { get; init; }

    public string? IssuerCertificatePath { get; init; }

    public string? IssuerKeyPath { get; init; }

    /// <summary>The private key of a root in the current ca.crt: sign a new issuer with it and keep the root.</summary>
    public string? RootKeyPath { get; init; }

    /// <summary>Keep the bundle as it is and only run the restarts, in order (to finish after a failed restart).</summary>
    public bool RestartOnly { get; init; }

    /// <summary>Where to save a newly generated root's private key (otherwise it is discarded, as Sentry does).</summary>
    public string? RootKeyOutputPath { get; init; }

    /// <summary>Restart Sentry, then the rest of the control plane, then every Dapr workload, waiting for each.</summary>
    public bool Restart { get; init; }

    /// <summary>Where to save the current bundle before the first write (a file, or a directory for a file named after the context, namespace and time); null for the default directory.</summary>
    public string? BackupPath { get; init; }

    /// <summary>A recovery file saved by an earlier run: put that bundle back instead of making a new one.</summary>
    public string? RestoreFrom { get; init; }

    /// <summary>How long to wait for each rollout.</summary>
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The namespaces whose Dapr workloads are restarted first, alone (wildcards); null for the first namespace.</summary>
    public IReadOnlyList<string>? Canary { get; init; }

    /// <summary>The sizes of the waves of namespaces after the canary ("5", "25%"); null for the defaults.</summary>
    public IReadOnlyList<string>? Waves { get; init; }

    /// <summary>How many restarts (and rollouts followed) run at the same time within a stage.</summary>
    public int ThrottleLimit { get; init; } = RestartOptions.DefaultThrottleLimit;
}
