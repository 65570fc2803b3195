using DaprSecurity.Abstractions;
using Org.BouncyCastle.Crypto;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>A parsed trust bundle: the trust anchors (ca.crt), the issuer chain (issuer.crt) and the issuer's key (issuer.key).</summary>
internal sealed record TrustBundle(IReadOnlyList<X509Certificate> Roots, IReadOnlyList<X509Certificate> IssuerChain, AsymmetricKeyParameter IssuerKey)
{
    /// <summary>The trust anchors in <paramref name="pem"/>; an error when there are none.</summary>
    public static IReadOnlyList<X509Certificate> ReadRoots(string? pem, string source)
        => ReadAtLeastOne(pem, source, DaprErrors.RootCertificateNotFound);

    /// <summary>The issuer chain in <paramref name="pem"/>, without a trailing root (Sentry drops it too).</summary>
    public static IReadOnlyList<X509Certificate> ReadIssuerChain(string? pem, string source)
    {
        var chain = ReadAtLeastOne(pem, source, DaprErrors.IssuerCertificateNotFound).ToList();
        if (chain.Count > 1 && ChainVerifier.IsSelfSigned(chain[^1]))
        {
            chain.RemoveAt(chain.Count - 1);
        }

        return chain;
    }

    public static AsymmetricKeyParameter ReadIssuerKey(string? pem, string source)
        => Pem.ReadPrivateKey(pem ?? throw Missing(DaprErrors.IssuerKeyNotFound, source), source);

    /// <summary>
    /// Sentry's verification (pkg/sentry/server/ca validate.go): every anchor self-signed, the issuer a CA, the chain
    /// signed up to an anchor, the key the issuer's. The first problem, or null when Sentry would accept the bundle.
    /// </summary>
    public string? FindStructuralProblem()
        => RootProblem(Roots) ?? ChainProblem(Roots, IssuerChain) ?? KeyProblem(IssuerChain, IssuerKey);

    public static string? RootProblem(IReadOnlyList<X509Certificate> roots)
        => roots.FirstOrDefault(r => !ChainVerifier.IsSelfSigned(r)) is { } notSelfSigned
            ? $"The trust anchor {Name(notSelfSigned)} is not self-signed; Sentry accepts only self-signed roots in ca.crt."
            : null;

    public static string? ChainProblem(IReadOnlyList<X509Certificate> roots, IReadOnlyList<X509Certificate> chain)
    {
        if (!ChainVerifier.IsCertificateAuthority(chain[0]))
        {
            return $"The issuer {Name(chain[0])} is not a CA certificate (basic constraints CA and key usage certificate signing are required to sign workload certificates).";
        }

        for (var i = 0; i < chain.Count - 1; i++)
        {
            if (!ChainVerifier.IsSignedBy(chain[i], chain[i + 1]))
            {
                return $"issuer.crt is not a chain: {Name(chain[i])} is not signed by the next certificate {Name(chain[i + 1])}.";
            }
        }

        return roots.Any(r => ChainVerifier.IsSignedBy(chain[^1], r))
            ? null
            : $"The issuer {Name(chain[^1])} is not signed by {(roots.Count == 1 ? "the root " + Name(roots[0]) : "any of the " + roots.Count + " roots in ca.crt")}: its signature does not verify with the root's key, so sidecars would reject every certificate Sentry issues.";
    }

    public static string? KeyProblem(IReadOnlyList<X509Certificate> chain, AsymmetricKeyParameter key)
        => ChainVerifier.KeyMatches(chain[0], key) ? null : $"issuer.key is not the private key of the issuer certificate {Name(chain[0])}.";

    /// <summary>A short name for messages: subject and thumbprint prefix.</summary>
    public static string Name(X509Certificate certificate)
        => $"'{CertificateInspector.Subject(certificate)}' ({CertificateInspector.Thumbprint(certificate)[..8]})";

    private static IReadOnlyList<X509Certificate> ReadAtLeastOne(string? pem, string source, DaprError error)
    {
        var certificates = Pem.ReadCertificates(pem ?? throw Missing(error, source), source);
        return certificates.Count > 0 ? certificates : throw Missing(error, source);
    }

    private static DaprSecurityException Missing(DaprError error, string source)
        => error.Raise($"{source} holds no PEM {(error == DaprErrors.IssuerKeyNotFound ? "private key" : "certificate")}.", source);
}
