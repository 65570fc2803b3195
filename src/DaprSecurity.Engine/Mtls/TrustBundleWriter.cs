using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>The new content of the trust bundle, as PEM text.</summary>
internal sealed record TrustBundleContent(string RootPem, string IssuerPem, string IssuerKeyPem);

/// <summary>
/// Writes the Secret and the ConfigMap dapr-trust-bundle with the same ca.crt, both or neither: both writes are first
/// sent as dry runs (the API server's authorization, validation and admission answer before anything changes), then
/// the Secret is replaced (with the resourceVersion read, so a concurrent change is refused), then the ConfigMap. If the
/// ConfigMap write fails, the Secret gets its previous content back. Other keys (JWT signing key, JWKS) are kept.
/// </summary>
internal sealed class TrustBundleWriter
{
    private const string DryRunAll = "All";
    private readonly ClusterConnection _cluster;

    public TrustBundleWriter(ClusterConnection cluster) => _cluster = cluster;

    public async Task WriteAsync(StoredTrustBundle current, TrustBundleContent content, IEngineHost host)
    {
        var cancellationToken = host.CancellationToken;
        var secret = WithContent(current.Secret!, content);
        var configMap = WithRoot(current, content.RootPem);
        await ReplaceSecretAsync(current, secret, DryRunAll, cancellationToken).ConfigureAwait(false);
        await WriteConfigMapAsync(current, configMap, DryRunAll, cancellationToken).ConfigureAwait(false);

        var written = await ReplaceSecretAsync(current, secret, null, cancellationToken).ConfigureAwait(false);
        host.WriteVerbose($"Wrote the {current.SecretName}.");
        try
        {
            // From here on the two objects differ until the ConfigMap is written: Ctrl+C must not leave them so.
            await WriteConfigMapAsync(current, configMap, null, CancellationToken.None).ConfigureAwait(false);
            host.WriteVerbose($"Wrote the {current.ConfigMapName}.");
        }
        catch (Exception error) when (error is DaprSecurityException or OperationCanceledException or HttpRequestException)
        {
            if (await ConfigMapHoldsAsync(current, content.RootPem).ConfigureAwait(false))
            {
                host.WriteVerbose($"The {current.ConfigMapName} write reported an error but took effect.");
                return;
            }

            await RestoreSecretAsync(current, written, error).ConfigureAwait(false);
            throw DaprErrors.TrustBundleWriteFailed.Raise(
                $"Writing the {current.ConfigMapName} failed ({error.Message}); the {current.SecretName} was restored to its previous content, so the trust bundle is unchanged.",
                current.ConfigMapName,
                error);
        }
    }

    private async Task RestoreSecretAsync(StoredTrustBundle current, V1Secret written, Exception writeError)
    {
        var previous = Copy(current.Secret!);
        previous.Metadata.ResourceVersion = written.Metadata.ResourceVersion;
        try
        {
            await ReplaceSecretAsync(current, previous, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception restoreError) when (restoreError is DaprSecurityException or HttpRequestException)
        {
            throw DaprErrors.TrustBundleRestoreFailed.Raise($"Writing the {current.ConfigMapName} failed ({writeError.Message}) and restoring the {current.SecretName} failed too ({restoreError.Message}). The Secret holds the NEW bundle and the ConfigMap the OLD root: do not restart Sentry, or it will generate a new CA.",
                current.SecretName,
                restoreError,
                "Run Update-DaprTrustBundle again, or put the previous bundle back from a backup (Export-DaprTrustBundle) with -RootCertificatePath, -IssuerCertificatePath and -IssuerKeyPath.");
        }
    }

    private Task<V1Secret> ReplaceSecretAsync(StoredTrustBundle current, V1Secret secret, string? dryRun, CancellationToken cancellationToken)
        => _cluster.CallAsync(
            (c, t) => c.CoreV1.ReplaceNamespacedSecretAsync(secret, TrustBundleKeys.ObjectName, current.Namespace, dryRun: dryRun, cancellationToken: t),
            current.SecretName,
            cancellationToken);

    private Task<V1ConfigMap> WriteConfigMapAsync(StoredTrustBundle current, V1ConfigMap configMap, string? dryRun, CancellationToken cancellationToken)
        => _cluster.CallAsync(
            (c, t) => current.ConfigMap is null
                ? c.CoreV1.CreateNamespacedConfigMapAsync(configMap, current.Namespace, dryRun: dryRun, cancellationToken: t)
                : c.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, TrustBundleKeys.ObjectName, current.Namespace, dryRun: dryRun, cancellationToken: t),
            current.ConfigMapName,
            cancellationToken);

    /// <summary>Whether a write that reported failure went through after all (the answer was lost, not the change).</summary>
    private async Task<bool> ConfigMapHoldsAsync(StoredTrustBundle current, string rootPem)
    {
        try
        {
            var configMap = await _cluster.GetOrNullAsync(
                (c, t) => c.CoreV1.ReadNamespacedConfigMapAsync(TrustBundleKeys.ObjectName, current.Namespace, cancellationToken: t),
                current.ConfigMapName,
                CancellationToken.None).ConfigureAwait(false);
            return configMap?.Data?.TryGetValue(TrustBundleKeys.RootCertificate, out var root) == true && root == rootPem;
        }
        catch (DaprSecurityException)
        {
            return false;
        }
    }

    private static V1Secret WithContent(V1Secret current, TrustBundleContent content)
    {
        var secret = Copy(current);
        secret.Data ??= new Dictionary<string, byte[]>();
        secret.Data[TrustBundleKeys.RootCertificate] = Encoding.UTF8.GetBytes(content.RootPem);
        secret.Data[TrustBundleKeys.IssuerCertificate] = Encoding.UTF8.GetBytes(content.IssuerPem);
        secret.Data[TrustBundleKeys.IssuerKey] = Encoding.UTF8.GetBytes(content.IssuerKeyPem);
        return secret;
    }

    /// <summary>The ConfigMap with the new ca.crt; a new one, labelled as the Helm chart does, when there was none.</summary>
    private static V1ConfigMap WithRoot(StoredTrustBundle current, string rootPem)
    {
        var configMap = current.ConfigMap is null
            ? new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = TrustBundleKeys.ObjectName,
                    NamespaceProperty = current.Namespace,
                    Labels = new Dictionary<string, string> { ["app"] = "dapr-sentry" },
                },
            }
            : Copy(current.ConfigMap);
        configMap.Data ??= new Dictionary<string, string>();
        configMap.Data[TrustBundleKeys.RootCertificate] = rootPem;
        return configMap;
    }

    /// <summary>A deep copy, without the server's field bookkeeping.</summary>
    private static T Copy<T>(T value)
        where T : IMetadata<V1ObjectMeta>
    {
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
        copy.Metadata.ManagedFields = null;
        return copy;
    }
}
