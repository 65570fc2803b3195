namespace DaprSecurity.Engine.Mtls;

/// <summary>Names Dapr uses for its trust bundle (pkg/sentry/config, pkg/sentry/server/ca/kube.go).</summary>
internal static class TrustBundleKeys
{
    /// <summary>Name of both the Secret (root, issuer, issuer key) and the ConfigMap (root only) in the control-plane namespace.</summary>
    public const string ObjectName = "dapr-trust-bundle";

    public const string RootCertificate = "ca.crt";

    public const string IssuerCertificate = "issuer.crt";

    public const string IssuerKey = "issuer.key";
}
