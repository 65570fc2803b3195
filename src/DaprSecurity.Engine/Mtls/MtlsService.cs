using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Mtls;

/// <summary>The engine behind the mTLS cmdlets; each operation lives in its own class, this one wires them to the cluster.</summary>
public sealed class MtlsService : IMtlsService
{
    /// <inheritdoc />
    public IReadOnlyList<DaprCertificateInfo> ReadCertificateFile(string path) => CertificateFiles.Read(path, DateTime.UtcNow);

    /// <inheritdoc />
    public IReadOnlyList<DaprCertificateInfo> GetCertificates(IClusterConnection connection, string? controlPlaneNamespace, IEngineHost host)
    {
        var cluster = ClusterConnection.From(connection);
        var controlPlane = Wait(new ControlPlaneLocator(cluster).LocateAsync(controlPlaneNamespace, host.CancellationToken));
        var stored = Wait(new TrustBundleStore(cluster).ReadExistingAsync(controlPlane.Namespace, host.CancellationToken));
        if (stored.ConfigMapRoot is not null && !stored.RootsInSync)
        {
            host.WriteWarning($"The {stored.ConfigMapName} ca.crt differs from the Secret's; Sentry will replace the whole CA at its next restart. Run Test-DaprMtls for details.");
        }

        var now = DateTime.UtcNow;
        var roots = TrustBundle.ReadRoots(stored.SecretText(TrustBundleKeys.RootCertificate), $"{stored.SecretName} key {TrustBundleKeys.RootCertificate}");
        var chain = TrustBundle.ReadIssuerChain(stored.SecretText(TrustBundleKeys.IssuerCertificate), $"{stored.SecretName} key {TrustBundleKeys.IssuerCertificate}");
        return roots.Select(r => CertificateInspector.Describe(r, DaprCertificateRole.Root, stored.SecretName, controlPlane.Namespace, now))
            .Concat(chain.Select((c, i) => CertificateInspector.Describe(c, i == 0 ? DaprCertificateRole.Issuer : DaprCertificateRole.Intermediate, stored.SecretName, controlPlane.Namespace, now)))
            .ToList();
    }

    /// <summary>Engine calls block at the cmdlet edge; the work inside is asynchronous.</summary>
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
