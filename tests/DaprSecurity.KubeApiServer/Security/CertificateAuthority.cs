using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DaprSecurity.KubeApiServer.Security;

/// <summary>A PEM certificate and its private key.</summary>
public sealed record PemCredential(string CertificatePem, string PrivateKeyPem);

/// <summary>
/// The server's own CA, generated per run with ECDSA P-256 (fast). It issues the serving certificate — with both
/// <c>IP:127.0.0.1</c> and <c>DNS:localhost</c>, since kubectl checks the name and KubernetesClient does not — and
/// client certificates whose CN is the user name.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(2);

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public static CertificateAuthority Create(string commonName = "kube-api-server-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new CertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now + Validity));
    }

    /// <summary>A TLS server certificate for loopback, with its private key.</summary>
    public X509Certificate2 IssueServerCertificate()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Issue(key, "CN=kube-apiserver", X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.1", san.Build()).CopyWithPrivateKey(key);
    }

    /// <summary>A client certificate for <paramref name="user"/> (CN), optionally in a group (O).</summary>
    public PemCredential IssueClientCertificate(string user, string? group = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = group is null ? $"CN={user}" : $"CN={user}, O={group}";
        using var certificate = Issue(key, subject, X509KeyUsageFlags.DigitalSignature, "1.3.6.1.5.5.7.3.2", extension: null);
        return new PemCredential(certificate.ExportCertificatePem(), key.ExportECPrivateKeyPem());
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by this CA (revocation is not checked).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose() => Certificate.Dispose();

    private X509Certificate2 Issue(ECDsa key, string subject, X509KeyUsageFlags usage, string extendedUsageOid, X509Extension? extension)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedUsageOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (extension is not null)
        {
            request.CertificateExtensions.Add(extension);
        }
        var now = DateTimeOffset.UtcNow;
        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        return request.Create(Certificate, now.AddMinutes(-5), now + Validity - TimeSpan.FromMinutes(1), serial.ToArray());
    }
}
