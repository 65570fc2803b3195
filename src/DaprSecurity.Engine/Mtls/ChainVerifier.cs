using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// The cryptographic facts Sentry relies on: a certificate's signature verifies with its parent's key (ECDSA,
/// Ed25519 or RSA alike), and a private key belongs to a certificate.
/// </summary>
internal static class ChainVerifier
{
    /// <summary>True when <paramref name="child"/> names <paramref name="parent"/> as issuer and its signature verifies with the parent's key.</summary>
    public static bool IsSignedBy(X509Certificate child, X509Certificate parent)
    {
        if (!child.IssuerDN.Equivalent(parent.SubjectDN))
        {
            return false;
        }

        try
        {
            child.Verify(parent.GetPublicKey());
            return true;
        }
        catch (Exception e) when (e is GeneralSecurityException or CryptoException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public static bool IsSelfSigned(X509Certificate certificate) => IsSignedBy(certificate, certificate);

    /// <summary>True when the certificate may sign others (basic constraints CA, and key usage allows certificate signing if present).</summary>
    public static bool IsCertificateAuthority(X509Certificate certificate)
        => certificate.GetBasicConstraints() >= 0 && (certificate.GetKeyUsage() is not { } usage || usage[5]);

    /// <summary>True when <paramref name="privateKey"/> is the private half of the certificate's public key.</summary>
    public static bool KeyMatches(X509Certificate certificate, AsymmetricKeyParameter privateKey) => (certificate.GetPublicKey(), privateKey) switch
    {
        (ECPublicKeyParameters pub, ECPrivateKeyParameters priv) =>
            pub.Parameters.Equals(priv.Parameters) && pub.Q.Equals(priv.Parameters.G.Multiply(priv.D).Normalize()),
        (Ed25519PublicKeyParameters pub, Ed25519PrivateKeyParameters priv) => pub.GetEncoded().AsSpan().SequenceEqual(priv.GeneratePublicKey().GetEncoded()),
        (Ed448PublicKeyParameters pub, Ed448PrivateKeyParameters priv) => pub.GetEncoded().AsSpan().SequenceEqual(priv.GeneratePublicKey().GetEncoded()),
        (RsaKeyParameters pub, RsaPrivateCrtKeyParameters priv) => pub.Modulus.Equals(priv.Modulus) && pub.Exponent.Equals(priv.PublicExponent),
        _ => false,
    };
}
