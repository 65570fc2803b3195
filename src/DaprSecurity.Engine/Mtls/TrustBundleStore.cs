using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Reads the Secret and ConfigMap dapr-trust-bundle of the control-plane namespace.</summary>
internal sealed class TrustBundleStore
{
    private readonly ClusterConnection _cluster;

    public TrustBundleStore(ClusterConnection cluster) => _cluster = cluster;

    /// <summary>Both objects; either may be missing (the caller decides whether that is an error).</summary>
    public async Task<StoredTrustBundle> ReadAsync(string controlPlaneNamespace, CancellationToken cancellationToken)
    {
        var secret = _cluster.GetOrNullAsync(
            (c, t) => c.CoreV1.ReadNamespacedSecretAsync(TrustBundleKeys.ObjectName, controlPlaneNamespace, cancellationToken: t),
            $"secret {controlPlaneNamespace}/{TrustBundleKeys.ObjectName}",
            cancellationToken);
        var configMap = _cluster.GetOrNullAsync(
            (c, t) => c.CoreV1.ReadNamespacedConfigMapAsync(TrustBundleKeys.ObjectName, controlPlaneNamespace, cancellationToken: t),
            $"configmap {controlPlaneNamespace}/{TrustBundleKeys.ObjectName}",
            cancellationToken);
        return new StoredTrustBundle(controlPlaneNamespace, await secret.ConfigureAwait(false), await configMap.ConfigureAwait(false));
    }

    /// <summary>
    /// Like <see cref="ReadAsync"/>, for checks: an identity that may not read the Secret (a monitoring account often may
    /// not) still gets the ConfigMap, and the Secret is marked unreadable rather than missing.
    /// </summary>
    public async Task<StoredTrustBundle> ReadForChecksAsync(string controlPlaneNamespace, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden) && e.ApiFailure?.Resource == "secrets")
        {
            var configMap = await _cluster.GetOrNullAsync(
                (c, t) => c.CoreV1.ReadNamespacedConfigMapAsync(TrustBundleKeys.ObjectName, controlPlaneNamespace, cancellationToken: t),
                $"configmap {controlPlaneNamespace}/{TrustBundleKeys.ObjectName}",
                cancellationToken).ConfigureAwait(false);
            return new StoredTrustBundle(controlPlaneNamespace, null, configMap) { SecretError = e.Message };
        }
    }

    /// <summary>Like <see cref="ReadAsync"/>, but a missing Secret is an error: there is no bundle to show or renew.</summary>
    public async Task<StoredTrustBundle> ReadExistingAsync(string controlPlaneNamespace, CancellationToken cancellationToken)
    {
        var bundle = await ReadAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        return bundle.Secret is not null ? bundle : throw DaprErrors.TrustBundleNotFound.Raise($"The {bundle.SecretName} does not exist, so this control plane has no trust bundle yet.",
            bundle.SecretName,
            recommendedAction: "Check -ControlPlaneNamespace; Sentry creates the bundle when it first starts.");
    }
}
