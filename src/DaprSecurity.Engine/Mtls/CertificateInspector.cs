using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DaprSecurity.Output;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Describes certificates the way users and dashboards want them: names, dates, days left, key, trust domain.</summary>
internal static class CertificateInspector
{
    private const int UriGeneralName = 6;

    public static DaprCertificateInfo Describe(X509Certificate certificate, DaprCertificateRole role, string source, string? controlPlaneNamespace, DateTime now) => new()
    {
        Role = role,
        Subject = Subject(certificate),
        Issuer = DistinguishedName(certificate.IssuerDN),
        NotBefore = NotBefore(certificate),
        NotAfter = NotAfter(certificate),
        DaysUntilExpiry = DaysUntilExpiry(certificate, now),
        KeyAlgorithm = KeyAlgorithm(certificate),
        TrustDomain = TrustDomain(certificate, role),
        Thumbprint = Thumbprint(certificate),
        SerialNumber = certificate.SerialNumber.ToString(16).ToUpperInvariant(),
        Source = source,
        Namespace = controlPlaneNamespace,
    };

    /// <summary>A trust bundle's certificates: every trust anchor as Root, then the issuer chain (Issuer, then Intermediate).</summary>
    public static IEnumerable<DaprCertificateInfo> DescribeBundle(IEnumerable<X509Certificate> roots, string rootSource, IEnumerable<X509Certificate> issuerChain, string issuerSource, string? controlPlaneNamespace, DateTime now)
        => roots.Select(r => Describe(r, DaprCertificateRole.Root, rootSource, controlPlaneNamespace, now))
            .Concat(issuerChain.Select((c, i) => Describe(c, i == 0 ? DaprCertificateRole.Issuer : DaprCertificateRole.Intermediate, issuerSource, controlPlaneNamespace, now)));

    /// <summary>In the order .NET and PowerShell show names ("CN=x, O=y").</summary>
    public static string Subject(X509Certificate certificate) => DistinguishedName(certificate.SubjectDN);

    /// <summary>SHA-1 of the DER encoding in upper-case hex, like X509Certificate2.Thumbprint.</summary>
#pragma warning disable CA5350 // A thumbprint names a certificate (as Windows and PowerShell show it); it protects nothing.
    public static string Thumbprint(X509Certificate certificate) => Convert.ToHexString(SHA1.HashData(certificate.GetEncoded()));
#pragma warning restore CA5350

    public static DateTime NotBefore(X509Certificate certificate) => Utc(certificate.NotBefore);

    public static DateTime NotAfter(X509Certificate certificate) => Utc(certificate.NotAfter);

    /// <summary>Whole days from <paramref name="now"/> to NotAfter, rounded down: 0 on the last day, negative once expired.</summary>
    public static int DaysUntilExpiry(X509Certificate certificate, DateTime now)
        => (int)Math.Floor((NotAfter(certificate) - now).TotalDays);

    /// <summary>"ECDSA P-256", "Ed25519", "RSA 2048"...</summary>
    public static string KeyAlgorithm(X509Certificate certificate) => certificate.GetPublicKey() switch
    {
        ECPublicKeyParameters ec => "ECDSA " + CurveName(ec),
        Ed25519PublicKeyParameters => "Ed25519",
        Ed448PublicKeyParameters => "Ed448",
        RsaKeyParameters rsa => $"RSA {rsa.Modulus.BitLength}",
        _ => certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id,
    };

    /// <summary>
    /// The SPIFFE trust domain: the host of a spiffe:// URI SAN or subject O (Dapr's issuer carries
    /// O=spiffe://TD/ns/NS/dapr-sentry), or for a root the O that Dapr sets to the trust domain.
    /// </summary>
    public static string? TrustDomain(X509Certificate certificate, DaprCertificateRole role)
    {
        var uris = (certificate.GetSubjectAlternativeNames() ?? Enumerable.Empty<IList<object>>())
            .Where(n => n.Count == 2 && n[0] is int tag && tag == UriGeneralName)
            .Select(n => n[1]?.ToString());
        var organizations = certificate.SubjectDN.GetValueList(X509Name.O);
        var spiffe = uris.Concat(organizations).FirstOrDefault(v => v?.StartsWith("spiffe://", StringComparison.OrdinalIgnoreCase) == true);
        if (spiffe is not null && Uri.TryCreate(spiffe, UriKind.Absolute, out var uri))
        {
            return uri.Host;
        }

        return role == DaprCertificateRole.Root ? organizations.FirstOrDefault() : null;
    }

    private static string DistinguishedName(X509Name name) => new X500DistinguishedName(name.GetEncoded()).Name;

    private static string CurveName(ECPublicKeyParameters key)
    {
        var oid = key.PublicKeyParamSet;
        return (oid is null ? null : NistNamedCurves.GetName(oid) ?? ECNamedCurveTable.GetName(oid)) ?? $"{key.Parameters.Curve.FieldSize}-bit curve";
    }

    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => time.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => time,
    };
}
