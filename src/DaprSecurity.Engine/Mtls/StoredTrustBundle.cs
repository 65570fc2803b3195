using System.Text;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>The trust bundle as the cluster holds it: the Secret (root, issuer, issuer key) and the ConfigMap (root only), raw.</summary>
internal sealed record StoredTrustBundle(string Namespace, V1Secret? Secret, V1ConfigMap? ConfigMap)
{
    /// <summary>Why the Secret could not be read (no permission), when it could not; it then counts as unknown, not missing.</summary>
    public string? SecretError { get; init; }

    public string SecretName => $"secret {Namespace}/{TrustBundleKeys.ObjectName}";

    public string ConfigMapName => $"configmap {Namespace}/{TrustBundleKeys.ObjectName}";

    /// <summary>A Secret value as text, or null when the Secret or the key is missing.</summary>
    public string? SecretText(string key)
        => Secret?.Data is { } data && data.TryGetValue(key, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The ConfigMap's ca.crt, or null when the ConfigMap or the key is missing.</summary>
    public string? ConfigMapRoot
        => ConfigMap?.Data is { } data && data.TryGetValue(TrustBundleKeys.RootCertificate, out var text) ? text : null;

    /// <summary>Sentry's own test (kube.go): the ConfigMap's ca.crt must equal the Secret's byte for byte.</summary>
    public bool RootsInSync => SecretText(TrustBundleKeys.RootCertificate) is { } secretRoot && ConfigMapRoot is { } configMapRoot
        && Encoding.UTF8.GetBytes(configMapRoot).AsSpan().SequenceEqual(Secret!.Data[TrustBundleKeys.RootCertificate]);
}
