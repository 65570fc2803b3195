using System.Text;
using DaprSecurity.Abstractions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.IO.Pem;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// Reads and writes the PEM that Dapr keeps in its trust bundle: certificates, and private keys as SEC1
/// ("EC PRIVATE KEY", what Dapr ≤ 1.17 and the dapr CLI write) or PKCS#8 ("PRIVATE KEY", Ed25519 in Dapr ≥ 1.18).
/// Output is encoded as Go's pem package does (64-column base64, LF line ends), with nothing but the blocks.
/// </summary>
internal static class Pem
{
    private const string CertificateType = "CERTIFICATE";

    /// <summary>Every CERTIFICATE block in <paramref name="pem"/>, in order; other blocks are skipped.</summary>
    /// <param name="source">Where the text came from, for error messages ("secret ns/name key ca.crt", a path).</param>
    public static IReadOnlyList<X509Certificate> ReadCertificates(string pem, string source)
    {
        var certificates = new List<X509Certificate>();
        foreach (var block in ReadBlocks(pem, source).Where(b => b.Type == CertificateType))
        {
            try
            {
                certificates.Add(new X509Certificate(block.Content));
            }
            catch (Exception e) when (e is not DaprSecurityException)
            {
                throw Invalid(DaprErrors.CertificateInvalid, $"{source} holds a CERTIFICATE block that is not a valid X.509 certificate: {e.Message}", source, e);
            }
        }

        return certificates;
    }

    /// <summary>The private key in <paramref name="pem"/> (the first key block); an error if there is none or it is encrypted.</summary>
    public static AsymmetricKeyParameter ReadPrivateKey(string pem, string source)
    {
        var block = ReadBlocks(pem, source).FirstOrDefault(b => b.Type.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            ?? throw Invalid(DaprErrors.PrivateKeyNotFound, $"{source} holds no PEM private key (EC PRIVATE KEY, PRIVATE KEY or RSA PRIVATE KEY).", source);
        if (block.Type == "ENCRYPTED PRIVATE KEY")
        {
            throw Invalid(DaprErrors.PrivateKeyEncrypted, $"{source} holds an encrypted private key. Decrypt it first, e.g. with: openssl pkey -in {source} -out key.pem", source);
        }

        try
        {
            var key = block.Type switch
            {
                "PRIVATE KEY" => PrivateKeyFactory.CreateKey(block.Content),
                "EC PRIVATE KEY" or "RSA PRIVATE KEY" => ReadTraditionalKey(block),
                _ => throw new NotSupportedException($"unsupported PEM type {block.Type}"),
            };
            return key.IsPrivate ? key : throw new NotSupportedException("not a private key");
        }
        catch (Exception e) when (e is not DaprSecurityException)
        {
            throw Invalid(DaprErrors.PrivateKeyInvalid, $"{source} holds a {block.Type} block that cannot be read: {e.Message}", source, e);
        }
    }

    /// <summary>The certificates as PEM, one block each, as Go writes them.</summary>
    public static string Encode(IEnumerable<X509Certificate> certificates)
        => string.Concat(certificates.Select(c => Block(CertificateType, c.GetEncoded())));

    /// <summary>
    /// ECDSA keys as SEC1 "EC PRIVATE KEY" (every Dapr version and the dapr CLI read it); others as PKCS#8 version 1
    /// without the optional public key, as Go's x509.MarshalPKCS8PrivateKey writes it and OpenSSL 3.0 reads it.
    /// </summary>
    public static string EncodePrivateKey(AsymmetricKeyParameter key) => key switch
    {
        ECPrivateKeyParameters => Block("EC PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).ParsePrivateKey().GetEncoded()),
        Ed25519PrivateKeyParameters ed => Block("PRIVATE KEY", new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(ed.GetEncoded())).GetEncoded()),
        _ => Block("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded()),
    };

    private static AsymmetricKeyParameter ReadTraditionalKey(PemObject block)
    {
        // The OpenSSL reader knows the traditional formats (SEC1 carries its curve inside; PKCS#1 RSA).
        using var reader = new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(Block(block.Type, block.Content)));
        return reader.ReadObject() switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter key => key,
            var other => throw new NotSupportedException($"unexpected {other?.GetType().Name ?? "nothing"}"),
        };
    }

    private static List<PemObject> ReadBlocks(string pem, string source)
    {
        var blocks = new List<PemObject>();
        try
        {
            using var reader = new PemReader(new StringReader(pem));
            while (reader.ReadPemObject() is { } block)
            {
                blocks.Add(block);
            }
        }
        catch (IOException e)
        {
            throw Invalid(DaprErrors.PemInvalid, $"{source} is not valid PEM: {e.Message}", source, e);
        }

        return blocks;
    }

    private static string Block(string type, byte[] content)
    {
        var text = new StringBuilder($"-----BEGIN {type}-----\n");
        var base64 = Convert.ToBase64String(content);
        for (var i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return text.Append("-----END ").Append(type).Append("-----\n").ToString();
    }

    private static DaprSecurityException Invalid(DaprError error, string message, string source, Exception? inner = null)
        => error.Raise(message, source, inner);
}
