using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// Dapr's control plane, its mTLS trust bundle (Secret and ConfigMap dapr-trust-bundle) and their renewal. Cluster work is
/// asynchronous and stops when the host's CancellationToken is cancelled (Ctrl+C).
/// </summary>
public interface IMtlsService
{
    /// <summary>The certificates of a PEM file, or of ca.crt and issuer.crt in a directory; no cluster involved.</summary>
    IReadOnlyList<DaprCertificateInfo> ReadCertificateFile(string path, IEngineHost host);

    /// <summary>Dapr's control-plane services (Sentry, operator, placement, scheduler, injector) with health and version; a null namespace is discovered.</summary>
    Task<IReadOnlyList<DaprControlPlaneComponent>> GetControlPlaneAsync(IClusterConnection cluster, string? controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Runs every mTLS check; certificates expiring within <paramref name="warningDays"/> give a warning.</summary>
    Task<DaprMtlsReport> TestAsync(IClusterConnection cluster, string? controlPlaneNamespace, int warningDays, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>The roots (ca.crt) and issuer chain (issuer.crt) of the cluster's trust bundle; a null namespace is discovered.</summary>
    Task<IReadOnlyList<DaprCertificateInfo>> GetCertificatesAsync(IClusterConnection cluster, string? controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Writes ca.crt, issuer.crt and optionally issuer.key to a directory, owner-readable only; returns the certificates written.</summary>
    Task<IReadOnlyList<DaprCertificateInfo>> ExportAsync(IClusterConnection cluster, TrustBundleExportRequest request, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Replaces the trust bundle (Secret and ConfigMap, both or neither) and optionally restarts Dapr in order; returns the new certificates.</summary>
    Task<IReadOnlyList<DaprCertificateInfo>> UpdateTrustBundleAsync(IClusterConnection cluster, TrustBundleUpdateRequest request, IEngineHost host, CancellationToken cancellationToken);
}
