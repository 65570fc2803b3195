using System.Text;
using System.Text.Json;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>Manifests that put a chosen trust bundle or mTLS configuration into the test cluster.</summary>
public static class TrustBundleManifests
{
    /// <summary>Secret and ConfigMap dapr-trust-bundle; the ConfigMap's ca.crt is the Secret's unless <paramref name="configMapRoot"/> says otherwise.</summary>
    public static string Bundle(string ns, string rootPem, string issuerPem, string issuerKeyPem, string? configMapRoot = null) => $$"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: dapr-trust-bundle
          namespace: {{ns}}
          labels: {app: dapr-sentry}
        type: Opaque
        data:
          ca.crt: {{Base64(rootPem)}}
          issuer.crt: {{Base64(issuerPem)}}
          issuer.key: {{Base64(issuerKeyPem)}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: dapr-trust-bundle
          namespace: {{ns}}
          labels: {app: dapr-sentry}
        data:
          ca.crt: {{JsonSerializer.Serialize(configMapRoot ?? rootPem)}}
        """;

    public static string Bundle(string ns, TestCertificate root, TestCertificate issuer) => Bundle(ns, root.CertificatePem, issuer.CertificatePem, issuer.PrivateKeyPem);

    /// <summary>The daprsystem Configuration; values are written as given (quoted), even invalid ones.</summary>
    public static string MtlsConfiguration(string ns, bool enabled = true, string workloadCertTtl = "24h", string allowedClockSkew = "15m", string trustDomain = "cluster.local") => $$"""
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata:
          name: daprsystem
          namespace: {{ns}}
        spec:
          mtls:
            enabled: {{(enabled ? "true" : "false")}}
            workloadCertTTL: {{JsonSerializer.Serialize(workloadCertTtl)}}
            allowedClockSkew: {{JsonSerializer.Serialize(allowedClockSkew)}}
            controlPlaneTrustDomain: {{trustDomain}}
        """;

    /// <summary>A key of the Secret dapr-trust-bundle as the server holds it now, as text.</summary>
    public static string SecretText(KubeApiServer.KubeApiServer server, string ns, string key)
        => Encoding.UTF8.GetString(Convert.FromBase64String(server.Get("", "v1", "secrets", ns, "dapr-trust-bundle")!["data"]![key]!.GetValue<string>()));

    /// <summary>The ConfigMap dapr-trust-bundle's ca.crt as the server holds it now, or null.</summary>
    public static string? ConfigMapRoot(KubeApiServer.KubeApiServer server, string ns)
        => server.Get("", "v1", "configmaps", ns, "dapr-trust-bundle")!["data"]?["ca.crt"]?.GetValue<string>();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
