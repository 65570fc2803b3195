using System.Security.Cryptography.X509Certificates;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Engine.Tests.Mtls;

public sealed class CertificateAuthorityGeneratorTests : IDisposable
{
    private static readonly DateTime Now = DateTime.UtcNow;
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-ca-").FullName;

    [Theory]
    [InlineData(DaprKeyAlgorithm.EcdsaP256, "ECDSA P-256")]
    [InlineData(DaprKeyAlgorithm.Ed25519, "Ed25519")]
    public void Root_and_issuer_are_shaped_like_Sentrys_and_openssl_verifies_the_chain(DaprKeyAlgorithm algorithm, string keyName)
    {
        var (root, issuer) = Generate(algorithm, TimeSpan.FromDays(365), "example.org", "dapr-ops");

        Assert.Equal("O=example.org", CertificateInspector.Subject(root.Certificate));
        Assert.Equal("O=spiffe://example.org/ns/dapr-ops/dapr-sentry", CertificateInspector.Subject(issuer.Certificate));
        Assert.Equal(keyName, CertificateInspector.KeyAlgorithm(root.Certificate));
        Assert.Equal(keyName, CertificateInspector.KeyAlgorithm(issuer.Certificate));
        Assert.True(ChainVerifier.IsCertificateAuthority(root.Certificate));
        Assert.True(ChainVerifier.IsCertificateAuthority(issuer.Certificate));
        Assert.True(ChainVerifier.KeyMatches(issuer.Certificate, issuer.PrivateKey));
        Assert.Null(new TrustBundle(new[] { root.Certificate }, new[] { issuer.Certificate }, issuer.PrivateKey).FindStructuralProblem());

        var rootFile = Write("root.pem", Pem.Encode(new[] { root.Certificate }));
        var issuerFile = Write("issuer.pem", Pem.Encode(new[] { issuer.Certificate }));
        var (code, output) = OpenSsl.Run("verify", "-x509_strict", "-CAfile", rootFile, issuerFile);
        Assert.True(code == 0, output);
        var key = OpenSsl.Run("pkey", "-in", Write("issuer.key", Pem.EncodePrivateKey(issuer.PrivateKey)), "-noout");
        Assert.True(key.ExitCode == 0, key.Output);
    }

    [Fact]
    public void Validity_starts_one_clock_skew_ago_and_lasts_the_requested_days_as_openssl_reads_it()
    {
        var (root, issuer) = Generate(DaprKeyAlgorithm.EcdsaP256, TimeSpan.FromDays(90), "cluster.local", "dapr-system");

        var expected = Now.AddDays(90);
        Assert.Equal(expected, OpenSsl.EndDate(Write("root.pem", Pem.Encode(new[] { root.Certificate }))), TimeSpan.FromSeconds(1));
        Assert.Equal(expected, OpenSsl.EndDate(Write("issuer.pem", Pem.Encode(new[] { issuer.Certificate }))), TimeSpan.FromSeconds(1));
        Assert.Equal(Now - TestPki.ClockSkew, CertificateInspector.NotBefore(root.Certificate), TimeSpan.FromSeconds(1));
        Assert.Equal(89, CertificateInspector.DaysUntilExpiry(issuer.Certificate, DateTime.UtcNow));
    }

    [Fact]
    public void A_new_issuer_under_an_existing_root_is_signed_by_it_and_never_outlives_it()
    {
        var existing = TestPki.CreateRoot(notAfter: DateTimeOffset.UtcNow.AddDays(30));
        var root = new CertificateWithKey(Pem.ReadCertificates(existing.CertificatePem, "root")[0], Pem.ReadPrivateKey(existing.PrivateKeyPem, "key"));

        var issuer = CertificateAuthorityGenerator.CreateIssuer(root, "cluster.local", "dapr-system", DaprKeyAlgorithm.Ed25519, TimeSpan.FromDays(365), TestPki.ClockSkew, Now);

        Assert.True(ChainVerifier.IsSignedBy(issuer.Certificate, root.Certificate));
        Assert.Equal(existing.NotAfter, CertificateInspector.NotAfter(issuer.Certificate), TimeSpan.FromSeconds(1));
        using var dotnet = X509CertificateLoader.LoadCertificate(issuer.Certificate.GetEncoded());
        var authorityKeyId = dotnet.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value;
        Assert.Equal(existing.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier, Convert.ToHexString(authorityKeyId.Span));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (CertificateWithKey Root, CertificateWithKey Issuer) Generate(DaprKeyAlgorithm algorithm, TimeSpan validity, string trustDomain, string ns)
    {
        var root = CertificateAuthorityGenerator.CreateRoot(trustDomain, algorithm, validity, TestPki.ClockSkew, Now);
        return (root, CertificateAuthorityGenerator.CreateIssuer(root, trustDomain, ns, algorithm, validity, TestPki.ClockSkew, Now));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
