using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using DaprSecurity.Output;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// Writes the trust bundle's files exactly as the Secret holds them (so a restore gives byte-identical ca.crt), each
/// readable only by its owner. Every target is checked before the first file is written.
/// </summary>
internal static class TrustBundleExporter
{
    public static IReadOnlyList<DaprCertificateInfo> Export(StoredTrustBundle stored, TrustBundleExportRequest request, IEngineHost host)
    {
        // Parse before writing: a corrupt bundle is reported, not copied silently.
        var roots = TrustBundle.ReadRoots(stored.SecretText(TrustBundleKeys.RootCertificate), $"{stored.SecretName} key {TrustBundleKeys.RootCertificate}");
        var chain = TrustBundle.ReadIssuerChain(stored.SecretText(TrustBundleKeys.IssuerCertificate), $"{stored.SecretName} key {TrustBundleKeys.IssuerCertificate}");
        var files = new List<(string Key, string Description)>
        {
            (TrustBundleKeys.RootCertificate, "the trust anchors"),
            (TrustBundleKeys.IssuerCertificate, "the issuer certificate chain"),
        };
        if (request.IncludePrivateKey)
        {
            TrustBundle.ReadIssuerKey(stored.SecretText(TrustBundleKeys.IssuerKey), $"{stored.SecretName} key {TrustBundleKeys.IssuerKey}");
            files.Add((TrustBundleKeys.IssuerKey, "the issuer's PRIVATE KEY"));
        }

        var targets = files.Select(f => (f.Key, f.Description, Path: Path.GetFullPath(Path.Combine(request.Directory, f.Key)))).ToList();
        var existing = targets.Where(t => File.Exists(t.Path)).Select(t => t.Path).ToList();
        if (existing.Count > 0 && !request.Force)
        {
            throw DaprErrors.FileExists.Raise($"{string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : "")}; nothing was written. Use -Force to overwrite.", existing[0]);
        }

        var written = new HashSet<string>();
        foreach (var (key, description, path) in targets.Where(t => host.ShouldProcess(t.Path, $"Write {t.Description} ({t.Key}) from {stored.SecretName}, readable only by you")))
        {
            OwnerOnlyFile.Write(path, stored.Secret!.Data[key], request.Force);
            host.WriteVerbose($"Wrote {path}.");
            written.Add(key);
        }

        return CertificateInspector.DescribeBundle(
                written.Contains(TrustBundleKeys.RootCertificate) ? roots : Array.Empty<X509Certificate>(),
                targets[0].Path,
                written.Contains(TrustBundleKeys.IssuerCertificate) ? chain : Array.Empty<X509Certificate>(),
                targets[1].Path,
                stored.Namespace,
                host.Clock.GetUtcNow().UtcDateTime)
            .ToList();
    }
}
