using DaprSecurity.Abstractions;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>A certificate with its private key, as generated.</summary>
internal sealed record CertificateWithKey(X509Certificate Certificate, AsymmetricKeyParameter PrivateKey);

/// <summary>
/// Creates a root and an issuer shaped like the ones Sentry generates itself (pkg/sentry/server/ca/bundle):
/// root subject O=&lt;trust domain&gt;, issuer subject O=spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/dapr-sentry, both CA,
/// NotBefore moved back by the allowed clock skew, random 128-bit serials.
/// </summary>
internal static class CertificateAuthorityGenerator
{
    private static readonly SecureRandom s_random = new();

    public static CertificateWithKey CreateRoot(string trustDomain, DaprKeyAlgorithm algorithm, TimeSpan validity, TimeSpan clockSkew, DateTime now)
    {
        var keys = GenerateKeyPair(algorithm);
        var subject = new X509Name($"O={trustDomain}");
        var generator = Template(subject, subject, keys.Public, now - clockSkew, now + validity, KeyUsage.KeyCertSign | KeyUsage.DigitalSignature);
        return new CertificateWithKey(generator.Generate(SignatureFactory(keys.Private)), keys.Private);
    }

    /// <summary>An issuer signed by <paramref name="root"/>; it never outlives the root (NotAfter is capped at the root's).</summary>
    public static CertificateWithKey CreateIssuer(CertificateWithKey root, string trustDomain, string controlPlaneNamespace, DaprKeyAlgorithm algorithm, TimeSpan validity, TimeSpan clockSkew, DateTime now)
    {
        var keys = GenerateKeyPair(algorithm);
        var subject = new X509Name($"O=spiffe://{trustDomain}/ns/{controlPlaneNamespace}/dapr-sentry");
        var notAfter = Min(now + validity, CertificateInspector.NotAfter(root.Certificate));
        var generator = Template(subject, root.Certificate.SubjectDN, keys.Public, now - clockSkew, notAfter, KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature);
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(root.Certificate.GetPublicKey()));
        return new CertificateWithKey(generator.Generate(SignatureFactory(root.PrivateKey)), keys.Private);
    }

    /// <summary>The signature algorithm that suits a signing key: SHA-256/384 with ECDSA or RSA, or pure Ed25519.</summary>
    private static ISignatureFactory SignatureFactory(AsymmetricKeyParameter signingKey) => new Asn1SignatureFactory(
        signingKey switch
        {
            ECPrivateKeyParameters ec when ec.Parameters.Curve.FieldSize > 256 => "SHA384WITHECDSA",
            ECPrivateKeyParameters => "SHA256WITHECDSA",
            Ed25519PrivateKeyParameters => "Ed25519",
            RsaKeyParameters => "SHA256WITHRSA",
            _ => throw DaprErrors.PrivateKeyUnsupported.Raise($"Cannot sign with a {signingKey.GetType().Name} key; use ECDSA, Ed25519 or RSA."),
        },
        signingKey,
        s_random);

    private static X509V3CertificateGenerator Template(X509Name subject, X509Name issuer, AsymmetricKeyParameter publicKey, DateTime notBefore, DateTime notAfter, int keyUsage)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(128, s_random));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetPublicKey(publicKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(keyUsage));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
        return generator;
    }

    private static AsymmetricCipherKeyPair GenerateKeyPair(DaprKeyAlgorithm algorithm)
    {
        IAsymmetricCipherKeyPairGenerator generator = algorithm switch
        {
            DaprKeyAlgorithm.Ed25519 => new Ed25519KeyPairGenerator(),
            _ => new ECKeyPairGenerator("EC"),
        };
        generator.Init(algorithm switch
        {
            DaprKeyAlgorithm.Ed25519 => new Ed25519KeyGenerationParameters(s_random),
            _ => new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, s_random),
        });
        return generator.GenerateKeyPair();
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
