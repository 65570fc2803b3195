using System.Text;
using DaprSecurity.Abstractions;
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

    /// <summary>
    /// Refuses (TrustBundleInconsistent) when the ConfigMap's ca.crt is missing or differs from the Secret's: Sentry would
    /// then throw the CA away at its next start and generate a new one. <paramref name="recoveryFile"/> is named when known.
    /// </summary>
    public void EnsureConsistent(string? recoveryFile)
    {
        if (RootsInSync)
        {
            return;
        }

        var problem = ConfigMapRoot is null ? $"the {ConfigMapName} has no ca.crt" : $"the {ConfigMapName} ca.crt differs from the {SecretName} ca.crt";
        throw DaprErrors.TrustBundleInconsistent.Raise(
            $"Sentry was not restarted: {problem}, so Sentry would throw the CA away and generate a new one (a renewal interrupted between its two writes leaves it so)."
                + (recoveryFile is null ? "" : $" The most recent recovery file is {recoveryFile}."),
            ConfigMapName,
            recommendedAction: recoveryFile is null
                ? "Install one bundle in both with Update-DaprTrustBundle (or Update-DaprTrustBundle -RestoreFrom a recovery file), then restart."
                : $"Put the saved bundle back with Update-DaprTrustBundle -RestoreFrom '{recoveryFile}', or install a new one in both with Update-DaprTrustBundle; then restart.");
    }
}
