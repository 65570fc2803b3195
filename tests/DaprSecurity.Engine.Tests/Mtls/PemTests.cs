using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Module.Tests.Infrastructure;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Xunit;

namespace DaprSecurity.Engine.Tests.Mtls;

public sealed class PemTests
{
    [Fact]
    public void Reads_every_certificate_and_writes_them_back_as_Go_does()
    {
        var root = TestPki.CreateRoot();
        var issuer = TestPki.CreateIssuer(root);
        var text = "Bag Attributes: ignored\n" + issuer.CertificatePem + root.CertificatePem + root.PrivateKeyPem;

        var certificates = Pem.ReadCertificates(text, "test");

        Assert.Equal(new[] { issuer.Certificate.Thumbprint, root.Certificate.Thumbprint }, certificates.Select(CertificateInspector.Thumbprint));
        Assert.Equal(issuer.CertificatePem + root.CertificatePem, Pem.Encode(certificates));
    }

    [Fact]
    public void Reads_SEC1_and_PKCS8_ECDSA_keys_and_PKCS8_Ed25519_keys()
    {
        var root = TestPki.CreateRoot();
        var ed25519 = new Ed25519KeyPairGenerator();
        ed25519.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var edKey = ed25519.GenerateKeyPair().Private;
        var edPem = "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(PrivateKeyInfoFactory.CreatePrivateKeyInfo(edKey).GetEncoded()) + "\n-----END PRIVATE KEY-----\n";

        var sec1 = Pem.ReadPrivateKey(root.PrivateKeyPem, "sec1");
        var pkcs8 = Pem.ReadPrivateKey(root.Key.ExportPkcs8PrivateKeyPem(), "pkcs8");
        var ed = Pem.ReadPrivateKey(edPem, "ed");

        var certificate = Pem.ReadCertificates(root.CertificatePem, "root")[0];
        Assert.True(ChainVerifier.KeyMatches(certificate, sec1));
        Assert.True(ChainVerifier.KeyMatches(certificate, pkcs8));
        Assert.IsType<Ed25519PrivateKeyParameters>(ed);
    }

    [Fact]
    public void Writes_ECDSA_keys_as_SEC1_with_the_named_curve_that_openssl_and_Go_read()
    {
        var key = Pem.ReadPrivateKey(TestPki.CreateRoot().Key.ExportPkcs8PrivateKeyPem(), "pkcs8");
        var path = Path.GetTempFileName();
        try
        {
            var pem = Pem.EncodePrivateKey(key);
            File.WriteAllText(path, pem);

            Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----\n", pem);
            var (code, output) = OpenSsl.Run("ec", "-in", path, "-noout", "-text");
            Assert.Equal(0, code);
            Assert.Contains("ASN1 OID: prime256v1", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_encrypted_key_is_a_clear_error_without_key_material()
    {
        var encrypted = TestPki.CreateRoot().Key.ExportEncryptedPkcs8PrivateKeyPem("pw", new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes128Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000));

        var error = Assert.Throws<DaprSecurityException>(() => Pem.ReadPrivateKey(encrypted, "key.pem"));

        Assert.Equal("PrivateKeyEncrypted", error.ErrorId);
        Assert.Equal("key.pem", error.TargetObject);
        Assert.DoesNotContain(encrypted.Split('\n')[1], error.Message);
    }

    [Theory]
    [InlineData("no pem here", "PrivateKeyNotFound")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "PrivateKeyInvalid")]
    public void A_missing_or_broken_key_is_a_clear_error(string text, string errorId)
        => Assert.Equal(errorId, Assert.Throws<DaprSecurityException>(() => Pem.ReadPrivateKey(text, "src")).ErrorId);

    [Fact]
    public void A_broken_certificate_block_is_a_clear_error()
    {
        var error = Assert.Throws<DaprSecurityException>(() => Pem.ReadCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "ca.crt"));

        Assert.Equal("CertificateInvalid", error.ErrorId);
        Assert.Equal(DaprErrorCategory.InvalidData, error.Category);
    }
}
