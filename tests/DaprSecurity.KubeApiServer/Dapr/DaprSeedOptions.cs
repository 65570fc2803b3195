using DaprSecurity.KubeApiServer.Security;

namespace DaprSecurity.KubeApiServer.Dapr;

/// <summary>What <see cref="KubeApiServer.SeedDapr"/> installs. The defaults are a small, realistic Dapr 1.16 cluster.</summary>
public sealed class DaprSeedOptions
{
    public string ControlPlaneNamespace { get; init; } = ControlPlane.DefaultNamespace;

    /// <summary>The image tag of the control plane (and so of injected sidecars).</summary>
    public string Version { get; init; } = ControlPlane.DefaultVersion;

    /// <summary><c>spec.mtls.enabled</c> of the <c>daprsystem</c> Configuration.</summary>
    public bool MtlsEnabled { get; init; } = true;

    /// <summary>Namespaces with one Dapr-enabled app and its components each; ask for 1,000 to test scale.</summary>
    public IReadOnlyList<string> AppNamespaces { get; init; } = ["prod-orders", "prod-inventory", "team-a"];

    /// <summary><c>app-0001</c> … <c>app-N</c>: names for N app namespaces.</summary>
    public static IReadOnlyList<string> Numbered(int count) =>
        Enumerable.Range(1, count).Select(i => $"app-{i:D4}").ToList();

    /// <summary>Validity of the generated root and issuer (Sentry's default is a year).</summary>
    public TimeSpan CertificateValidity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Use this bundle instead of generating one, e.g. an expired or mismatched one for a test.</summary>
    public TrustBundle? TrustBundle { get; init; }
}

/// <summary>What <see cref="KubeApiServer.SeedDapr"/> installed, with the generated certificates and keys for reuse.</summary>
public sealed record DaprSeedResult(string ControlPlaneNamespace, TrustBundle TrustBundle, IReadOnlyList<string> AppNamespaces)
{
    public PemCredential Root => TrustBundle.Root;

    public PemCredential Issuer => TrustBundle.Issuer;
}
