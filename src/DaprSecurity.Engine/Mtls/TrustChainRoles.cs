using DaprSecurity.Output;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Names each certificate of a PEM bundle by its place in the chain.</summary>
internal static class TrustChainRoles
{
    /// <summary>Self-signed certificates are roots; the first other one is the issuer, later ones intermediates (issuer.crt order).</summary>
    public static IEnumerable<(X509Certificate Certificate, DaprCertificateRole Role)> Assign(IEnumerable<X509Certificate> certificates)
    {
        var issuerSeen = false;
        foreach (var certificate in certificates)
        {
            if (ChainVerifier.IsSelfSigned(certificate))
            {
                yield return (certificate, DaprCertificateRole.Root);
            }
            else
            {
                yield return (certificate, issuerSeen ? DaprCertificateRole.Intermediate : DaprCertificateRole.Issuer);
                issuerSeen = true;
            }
        }
    }
}
