using System.Runtime.ExceptionServices;
using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>The new content of the trust bundle, as PEM text.</summary>
/// <param name="SecretData">Every Secret key to write (a restore puts back all it saved), or null to keep the cluster's other keys (JWT signing key, JWKS).</param>
/// <param name="ConfigMapData">Every ConfigMap key to write (a restore), or null to keep the cluster's other keys.</param>
internal sealed record TrustBundleContent(string RootPem, string IssuerPem, string IssuerKeyPem, IDictionary<string, byte[]>? SecretData = null, IDictionary<string, string>? ConfigMapData = null);

/// <summary>
/// Writes the Secret and the ConfigMap dapr-trust-bundle with the same ca.crt, both or neither: both writes are first
/// sent as dry runs (the API server's authorization, validation and admission answer before anything changes), then
/// the current bundle is saved to the recovery file, then the Secret is replaced (with the resourceVersion read, so a
/// concurrent change is refused), then the ConfigMap. If the ConfigMap write fails, or Ctrl+C, a pipeline stop, SIGTERM
/// or SIGINT comes between the two (see <see cref="WriteWindow"/>), the ConfigMap is completed if its write already
/// went through, and otherwise the Secret gets its previous content back, within seconds. What happened is stated: in
/// an error, or for a stopped command in the work ledger's summary.
/// </summary>
internal sealed class TrustBundleWriter
{
    private const string DryRunAll = "All";

    /// <summary>How long checking and putting back may take after a failure or a stop (the user's stop no longer cancels it).</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(8);

    private readonly ClusterConnection _cluster;

    public TrustBundleWriter(ClusterConnection cluster) => _cluster = cluster;

    private enum Outcome
    {
        /// <summary>The Secret was not changed.</summary>
        Unchanged,

        /// <summary>Both hold the new bundle.</summary>
        Completed,

        /// <summary>The Secret was put back as it was.</summary>
        Restored,

        /// <summary>The Secret holds the new bundle, the ConfigMap the old root, and putting the Secret back failed.</summary>
        RestoreFailed,
    }

    /// <param name="saveRecoveryFile">Saves the current bundle once the dry runs passed, before the first write; returns the file's path.</param>
    public async Task WriteAsync(StoredTrustBundle current, TrustBundleContent content, Func<string> saveRecoveryFile, IEngineHost host, CancellationToken cancellationToken)
    {
        var secret = WithContent(current, content);
        var configMap = WithRoot(current, content);
        await ReplaceSecretAsync(current, secret, DryRunAll, cancellationToken).ConfigureAwait(false);
        await WriteConfigMapAsync(current, configMap, DryRunAll, cancellationToken).ConfigureAwait(false);
        var recoveryFile = saveRecoveryFile();

        using var window = new WriteWindow(host.Clock, cancellationToken);
        V1Secret? written = null;
        var configMapSent = false;
        try
        {
            written = await ReplaceSecretAsync(current, secret, null, window.Writes).ConfigureAwait(false);
            host.WriteVerbose($"Wrote the {current.SecretName}.");
            window.Stopping.ThrowIfCancellationRequested();
            configMapSent = true;
            await WriteConfigMapAsync(current, configMap, null, window.Writes).ConfigureAwait(false);
            host.WriteVerbose($"Wrote the {current.ConfigMapName}.");
        }
        catch (Exception error) when (error is DaprSecurityException or OperationCanceledException or HttpRequestException)
        {
            var (outcome, settleError) = await SettleAsync(current, content, written, configMapSent, host.Clock).ConfigureAwait(false);
            if (window.Stopping.IsCancellationRequested)
            {
                Stopped(current, outcome, settleError, recoveryFile, window, host);
                if (outcome != Outcome.Completed)
                {
                    throw new OperationCanceledException("The trust bundle write was stopped.", error);
                }

                return;
            }

            Failed(current, error, outcome, settleError, recoveryFile, host);
            return;
        }

        if (window.Stopping.IsCancellationRequested)
        {
            Stopped(current, Outcome.Completed, null, recoveryFile, window, host);
        }
    }

    /// <summary>After a failure or a stop: what the two objects hold now, made consistent where it can be.</summary>
    private async Task<(Outcome Outcome, Exception? Error)> SettleAsync(StoredTrustBundle current, TrustBundleContent content, V1Secret? written, bool configMapSent, TimeProvider clock)
    {
        using var timeout = new CancellationTokenSource(SettleTimeout, clock);
        try
        {
            if (configMapSent && await ConfigMapHoldsAsync(current, content.RootPem, timeout.Token).ConfigureAwait(false))
            {
                return (Outcome.Completed, null);
            }

            written ??= await SecretIfWrittenAsync(current, content, timeout.Token).ConfigureAwait(false);
            if (written is null)
            {
                return (Outcome.Unchanged, null);
            }

            var previous = Copy(current.Secret!);
            previous.Metadata.ResourceVersion = written.Metadata.ResourceVersion;
            await ReplaceSecretAsync(current, previous, null, timeout.Token).ConfigureAwait(false);
            return (Outcome.Restored, null);
        }
        catch (Exception e) when (e is DaprSecurityException or OperationCanceledException or HttpRequestException)
        {
            return (Outcome.RestoreFailed, e);
        }
    }

    /// <summary>A stopped write: the ledger says what it left behind, for the summary the command writes as it stops.</summary>
    private static void Stopped(StoredTrustBundle current, Outcome outcome, Exception? settleError, string recoveryFile, WriteWindow window, IEngineHost host)
    {
        var by = window.Signal is { } signal ? signal.ToString() : "the stop";
        host.Work.Note(outcome switch
        {
            Outcome.Completed => $"The trust bundle write was already through when {by} came: the Secret and the ConfigMap both hold the new bundle, which takes effect when Sentry restarts.",
            Outcome.Restored => $"{by} came between the Secret and the ConfigMap writes: the Secret was put back as it was, so the trust bundle is unchanged.",
            Outcome.Unchanged => $"{by} came before the Secret was written: the trust bundle is unchanged.",
            _ => $"{by} came between the Secret and the ConfigMap writes and putting the Secret back failed ({settleError!.Message}): the {current.SecretName} holds the NEW bundle and the {current.ConfigMapName} the OLD root. Do not restart Sentry.",
        } + $" Recovery file: {recoveryFile}.");
        host.Work.FinishWith(outcome switch
        {
            Outcome.Completed => "run Update-DaprTrustBundle -RestartOnly (the restarts, in order, for the bundle now in place)",
            Outcome.RestoreFailed => $"put the saved bundle back with Update-DaprTrustBundle -RestoreFrom '{recoveryFile}'",
            _ => "run the same command again",
        });
        if (window.Signal is not null)
        {
            host.Work.Interrupt(window.ExitCode);
        }
    }

    private static void Failed(StoredTrustBundle current, Exception error, Outcome outcome, Exception? settleError, string recoveryFile, IEngineHost host)
    {
        switch (outcome)
        {
            case Outcome.Completed:
                host.WriteVerbose($"The {current.ConfigMapName} write reported an error but took effect.");
                return;
            case Outcome.Unchanged:
                ExceptionDispatchInfo.Throw(error);
                return;
            case Outcome.Restored:
                throw DaprErrors.TrustBundleWriteFailed.Raise(
                    $"Writing the {current.ConfigMapName} failed ({error.Message}); the {current.SecretName} was restored to its previous content, so the trust bundle is unchanged.",
                    current.ConfigMapName,
                    error);
            default:
                throw DaprErrors.TrustBundleRestoreFailed.Raise(
                    $"Writing the {current.ConfigMapName} failed ({error.Message}) and restoring the {current.SecretName} failed too ({settleError!.Message}). The Secret holds the NEW bundle and the ConfigMap the OLD root: do not restart Sentry, or it will generate a new CA.",
                    current.SecretName,
                    settleError,
                    $"Put the saved bundle back with Update-DaprTrustBundle -RestoreFrom '{recoveryFile}', or run Update-DaprTrustBundle again.");
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
    private async Task<bool> ConfigMapHoldsAsync(StoredTrustBundle current, string rootPem, CancellationToken cancellationToken)
    {
        var configMap = await _cluster.GetOrNullAsync(
            (c, t) => c.CoreV1.ReadNamespacedConfigMapAsync(TrustBundleKeys.ObjectName, current.Namespace, cancellationToken: t),
            current.ConfigMapName,
            cancellationToken).ConfigureAwait(false);
        return configMap?.Data?.TryGetValue(TrustBundleKeys.RootCertificate, out var root) == true && root == rootPem;
    }

    /// <summary>The Secret as the cluster holds it when a write whose answer never came did take effect, otherwise null.</summary>
    private async Task<V1Secret?> SecretIfWrittenAsync(StoredTrustBundle current, TrustBundleContent content, CancellationToken cancellationToken)
    {
        var secret = await _cluster.GetOrNullAsync(
            (c, t) => c.CoreV1.ReadNamespacedSecretAsync(TrustBundleKeys.ObjectName, current.Namespace, cancellationToken: t),
            current.SecretName,
            cancellationToken).ConfigureAwait(false);
        return secret is not null && secret.Metadata.ResourceVersion != current.Secret!.Metadata.ResourceVersion
            && new StoredTrustBundle(current.Namespace, secret, null).SecretText(TrustBundleKeys.IssuerKey) == content.IssuerKeyPem
            ? secret
            : null;
    }

    private static V1Secret WithContent(StoredTrustBundle current, TrustBundleContent content)
    {
        var secret = Copy(current.Secret!);
        secret.Data = content.SecretData is { } saved ? new Dictionary<string, byte[]>(saved) : secret.Data ?? new Dictionary<string, byte[]>();
        secret.Data[TrustBundleKeys.RootCertificate] = Encoding.UTF8.GetBytes(content.RootPem);
        secret.Data[TrustBundleKeys.IssuerCertificate] = Encoding.UTF8.GetBytes(content.IssuerPem);
        secret.Data[TrustBundleKeys.IssuerKey] = Encoding.UTF8.GetBytes(content.IssuerKeyPem);
        return secret;
    }

    /// <summary>The ConfigMap with the new ca.crt; a new one, labelled as the Helm chart does, when there was none.</summary>
    private static V1ConfigMap WithRoot(StoredTrustBundle current, TrustBundleContent content)
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
        configMap.Data = content.ConfigMapData is { } saved ? new Dictionary<string, string>(saved) : configMap.Data ?? new Dictionary<string, string>();
        configMap.Data[TrustBundleKeys.RootCertificate] = content.RootPem;
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
