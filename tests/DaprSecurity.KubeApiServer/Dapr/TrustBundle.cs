using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DaprSecurity.KubeApiServer.Security;

namespace DaprSecurity.KubeApiServer.Dapr;

/// <summary>
/// A Dapr trust bundle as Sentry generates it (dapr/dapr <c>pkg/sentry/server/ca/bundle</c>, ECDSA P-256 as up to v1.17):
/// a self-signed root <c>O=&lt;trust domain&gt;</c> and an issuer <c>O=spiffe://&lt;trust domain&gt;/ns/&lt;ns&gt;/dapr-sentry</c>,
/// both CAs with CertSign|CRLSign, valid from now minus the clock skew. Keys are SEC1 "EC PRIVATE KEY" PEM.
/// </summary>
public sealed record TrustBundle(PemCredential Root, PemCredential Issuer)
{
    /// <param name="issuerValidity">The issuer's validity when it should end before the root's (default: <paramref name="validity"/>).</param>
    public static TrustBundle Generate(string trustDomain, string controlPlaneNamespace, TimeSpan validity, TimeSpan clockSkew,
        TimeSpan? issuerValidity = null)
    {
        var now = DateTimeOffset.UtcNow;
        var notBefore = now - clockSkew;
        var notAfter = now + validity;

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CaRequest($"O={trustDomain}", rootKey);
        using var root = rootRequest.CreateSelfSigned(notBefore, notAfter);

        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = CaRequest($"O=spiffe://{trustDomain}/ns/{controlPlaneNamespace}/dapr-sentry", issuerKey);
        issuerRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var issuer = issuerRequest.Create(root, notBefore, now + (issuerValidity ?? validity), RandomSerial());

        return new TrustBundle(
            new PemCredential(root.ExportCertificatePem() + "\n", rootKey.ExportECPrivateKeyPem() + "\n"),
            new PemCredential(issuer.ExportCertificatePem() + "\n", issuerKey.ExportECPrivateKeyPem() + "\n"));
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }
}
