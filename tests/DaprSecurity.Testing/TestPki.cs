using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>A CA certificate made by the tests, with its key, as PEM (SEC1 "EC PRIVATE KEY", like Dapr ≤ 1.17).</summary>
public sealed record TestCertificate(X509Certificate2 Certificate, ECDsa Key)
{
    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    public string PrivateKeyPem => Key.ExportECPrivateKeyPem() + "\n";

    public DateTime NotAfter => Certificate.NotAfter.ToUniversalTime();
}

/// <summary>
/// Dapr-shaped roots and issuers built with .NET's own X.509 classes, independently of the module's generator, so the
/// tests can make any bundle, healthy or broken: expired, not yet valid, signed by another root, paired with another key.
/// </summary>
public static class TestPki
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>A self-signed root O=<paramref name="trustDomain"/>, valid from <paramref name="notBefore"/> (default now - 15m) to <paramref name="notAfter"/> (default now + 365d).</summary>
    public static TestCertificate CreateRoot(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string trustDomain = "cluster.local")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest($"O={trustDomain}", key);
        return new TestCertificate(request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow - ClockSkew, notAfter ?? DateTimeOffset.UtcNow.AddDays(365)), key);
    }

    /// <summary>An issuer O=spiffe://TD/ns/NS/dapr-sentry signed by <paramref name="root"/>; the window defaults to the root's.</summary>
    public static TestCertificate CreateIssuer(TestCertificate root, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string controlPlaneNamespace = "dapr-system", string trustDomain = "cluster.local")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest($"O=spiffe://{trustDomain}/ns/{controlPlaneNamespace}/dapr-sentry", key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var certificate = request.Create(root.Certificate, notBefore ?? root.Certificate.NotBefore, notAfter ?? root.Certificate.NotAfter, serial);
        return new TestCertificate(certificate, key);
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
