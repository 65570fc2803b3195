using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using Org.BouncyCastle.Crypto;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// The bundle that is to replace the cluster's, built from the request and checked the way Sentry will check it:
/// anchors self-signed, issuer chained and signed, key matching, everything valid now.
/// </summary>
/// <param name="RootKey">A newly generated root key the user asked to keep, otherwise null.</param>
/// <param name="Origin">How the bundle was made, for messages.</param>
internal sealed record TrustBundleReplacement(TrustBundle Bundle, TrustBundleContent Content, AsymmetricKeyParameter? RootKey, string Origin)
{
    /// <summary>Whether ca.crt changes, so every sidecar must be re-injected to trust the new root.</summary>
    public bool RootChanged(StoredTrustBundle current) => current.SecretText(TrustBundleKeys.RootCertificate) != Content.RootPem;

    public static TrustBundleReplacement Prepare(TrustBundleUpdateRequest request, DaprControlPlane controlPlane, StoredTrustBundle current, DateTime now, IEngineHost host)
    {
        var replacement = request switch
        {
            { RootCertificatePath: { } rootPath } => FromFiles(rootPath, request.IssuerCertificatePath!, request.IssuerKeyPath!),
            { RootKeyPath: { } rootKeyPath } => NewIssuer(request, controlPlane, current, rootKeyPath, now, host),
            _ => Generate(request, controlPlane, now),
        };
        replacement.Validate(controlPlane, now, host);
        return replacement;
    }

    private static TrustBundleReplacement Generate(TrustBundleUpdateRequest request, DaprControlPlane controlPlane, DateTime now)
    {
        var validity = TimeSpan.FromDays(request.ValidDays);
        var trustDomain = controlPlane.Mtls.TrustDomain;
        var root = CertificateAuthorityGenerator.CreateRoot(trustDomain, request.KeyAlgorithm, validity, controlPlane.Mtls.ClockSkew, now);
        var issuer = CertificateAuthorityGenerator.CreateIssuer(root, trustDomain, controlPlane.Namespace, request.KeyAlgorithm, validity, controlPlane.Mtls.ClockSkew, now);
        return Assemble(new[] { root.Certificate }, new[] { issuer.Certificate }, issuer.PrivateKey, null, request.RootKeyOutputPath is null ? null : root.PrivateKey, $"a new {Name(request.KeyAlgorithm)} root and issuer for trust domain {trustDomain}");
    }

    private static TrustBundleReplacement FromFiles(string rootPath, string issuerPath, string keyPath)
    {
        var roots = TrustBundle.ReadRoots(CertificateFiles.ReadText(rootPath), rootPath);
        var chain = TrustBundle.ReadIssuerChain(CertificateFiles.ReadText(issuerPath), issuerPath);
        var key = TrustBundle.ReadIssuerKey(CertificateFiles.ReadText(keyPath), keyPath);
        return Assemble(roots, chain, key, null, null, $"the certificates in {rootPath} and {issuerPath}");
    }

    /// <summary>Keeps ca.crt exactly as it is (no sidecar needs new trust anchors) and signs a new issuer with the given root key.</summary>
    private static TrustBundleReplacement NewIssuer(TrustBundleUpdateRequest request, DaprControlPlane controlPlane, StoredTrustBundle current, string rootKeyPath, DateTime now, IEngineHost host)
    {
        var currentRoots = current.SecretText(TrustBundleKeys.RootCertificate);
        var roots = TrustBundle.ReadRoots(currentRoots, $"{current.SecretName} key {TrustBundleKeys.RootCertificate}");
        var rootKey = Pem.ReadPrivateKey(CertificateFiles.ReadText(rootKeyPath), rootKeyPath);
        var root = roots.FirstOrDefault(r => ChainVerifier.KeyMatches(r, rootKey)) ?? throw DaprErrors.RootKeyMismatch.Raise($"{rootKeyPath} is not the private key of any root in the {current.SecretName} ca.crt; nothing was changed.",
            rootKeyPath);
        var validity = TimeSpan.FromDays(request.ValidDays);
        if (now + validity > CertificateInspector.NotAfter(root))
        {
            host.WriteWarning($"The root expires on {CertificateInspector.NotAfter(root):u}, so the new issuer ends then too, not after {request.ValidDays} days. Plan a new root before then.");
        }

        var issuer = CertificateAuthorityGenerator.CreateIssuer(new CertificateWithKey(root, rootKey), controlPlane.Mtls.TrustDomain, controlPlane.Namespace, request.KeyAlgorithm, validity, controlPlane.Mtls.ClockSkew, now);
        return Assemble(roots, new[] { issuer.Certificate }, issuer.PrivateKey, currentRoots, null, $"a new {Name(request.KeyAlgorithm)} issuer under the current root {TrustBundle.Name(root)}");
    }

    /// <param name="keptRootPem">The current ca.crt text to keep byte for byte, or null to encode <paramref name="roots"/>.</param>
    private static TrustBundleReplacement Assemble(IReadOnlyList<X509Certificate> roots, IReadOnlyList<X509Certificate> chain, AsymmetricKeyParameter issuerKey, string? keptRootPem, AsymmetricKeyParameter? rootKey, string origin)
        => new(
            new TrustBundle(roots, chain, issuerKey),
            new TrustBundleContent(keptRootPem ?? Pem.Encode(roots), Pem.Encode(chain), Pem.EncodePrivateKey(issuerKey)),
            rootKey,
            origin);

    private void Validate(DaprControlPlane controlPlane, DateTime now, IEngineHost host)
    {
        var problem = Bundle.FindStructuralProblem()
            ?? Invalid(MtlsChecks.Validity(Bundle.Roots, "root", now, 0))
            ?? Invalid(MtlsChecks.Validity(Bundle.IssuerChain, "issuer", now, 0));
        if (problem is not null)
        {
            throw DaprErrors.TrustBundleInvalid.Raise($"The new trust bundle ({Origin}) was not written: {problem}", Origin);
        }

        foreach (var (certificates, role) in new[] { (Bundle.Roots, "root"), (Bundle.IssuerChain, "issuer") })
        {
            if (MtlsChecks.Validity(certificates, role, now, 30) is { Result: DaprCheckResult.Warning } soon)
            {
                host.WriteWarning($"In the new bundle: {soon.Fact}");
            }
        }

        var trustDomain = CertificateInspector.TrustDomain(Bundle.IssuerChain[0], DaprCertificateRole.Issuer);
        if (trustDomain is not null && trustDomain != controlPlane.Mtls.TrustDomain)
        {
            host.WriteWarning($"The issuer names trust domain '{trustDomain}' but the daprsystem Configuration's controlPlaneTrustDomain is '{controlPlane.Mtls.TrustDomain}'.");
        }
    }

    private static string Name(DaprKeyAlgorithm algorithm) => algorithm == DaprKeyAlgorithm.EcdsaP256 ? "ECDSA P-256" : "Ed25519";

    private static string? Invalid((DaprCheckResult Result, string Fact, string Advice) validity) => validity.Result == DaprCheckResult.Fail ? validity.Fact : null;
}
