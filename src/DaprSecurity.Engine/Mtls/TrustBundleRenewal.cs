using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// Update-DaprTrustBundle: build and validate the new bundle, read the restart plan, show or confirm every step before
/// the first one runs, then save the root key (if asked), write the bundle both-or-neither, and run the restart stages in
/// order. It stops at the first failure or declined step and says what was done and what was not; it reports success
/// only when every step succeeded. With RestartOnly it runs just the restart stages, for the bundle already in place.
/// </summary>
internal sealed class TrustBundleRenewal
{
    private const int ProgressId = 61;
    private const string Activity = "Updating the Dapr trust bundle";

    private readonly ClusterConnection _cluster;
    private bool _written;
    private string? _recoveryFile;

    public TrustBundleRenewal(ClusterConnection cluster) => _cluster = cluster;

    public async Task<IReadOnlyList<DaprCertificateInfo>> RunAsync(DaprControlPlane controlPlane, StoredTrustBundle current, TrustBundleUpdateRequest request, IEngineHost host, CancellationToken cancellationToken)
    {
        var rollout = new TrustBundleRollout(_cluster, host.Clock, request.ThrottleLimit, request.RolloutTimeout);
        if (request.RestartOnly)
        {
            current.EnsureConsistent(TrustBundleBackup.FindLatest(_cluster.ContextName, current.Namespace));
            var roots = TrustBundle.ReadRoots(current.SecretText(TrustBundleKeys.RootCertificate), $"{current.SecretName} key {TrustBundleKeys.RootCertificate}");
            var restarts = await rollout.PlanAsync(controlPlane.Namespace, skipAppsTrusting: roots, request.Canary, request.Waves, cancellationToken).ConfigureAwait(false);
            if (await ExecuteAsync(RestartSteps(restarts, rollout, request, controlPlane.Namespace, host, cancellationToken), bundleInPlace: true, host, cancellationToken).ConfigureAwait(false))
            {
                host.WriteHostLine($"Dapr trust bundle of {current.Namespace} rolled out: {restarts.Sum(s => s.Workloads.Count)} workloads restarted in order.");
            }

            return Array.Empty<DaprCertificateInfo>();
        }

        var now = host.Clock.GetUtcNow().UtcDateTime;
        var replacement = TrustBundleReplacement.Prepare(request, controlPlane, current, now, host);
        var stages = request.Restart ? await rollout.PlanAsync(controlPlane.Namespace, skipAppsTrusting: null, request.Canary, request.Waves, cancellationToken).ConfigureAwait(false) : Array.Empty<RolloutStage>();
        var steps = Steps(current, replacement, request, stages, rollout, controlPlane.Namespace, host, cancellationToken);
        if (await ExecuteAsync(steps, bundleInPlace: false, host, cancellationToken).ConfigureAwait(false))
        {
            await ReportAsync(current, replacement, request, stages, rollout, host, cancellationToken).ConfigureAwait(false);
        }

        return _written
            ? CertificateInspector.DescribeBundle(replacement.Bundle.Roots, current.SecretName, replacement.Bundle.IssuerChain, current.SecretName, controlPlane.Namespace, host.Clock.GetUtcNow().UtcDateTime).ToList()
            : Array.Empty<DaprCertificateInfo>();
    }

    /// <summary>
    /// Shows (-WhatIf) or confirms (-Confirm) every step before the first one runs, then runs the approved ones in
    /// order. True when all of them ran. A failure once the bundle is in place says what was done and what was not.
    /// </summary>
    private async Task<bool> ExecuteAsync(IReadOnlyList<Step> steps, bool bundleInPlace, IEngineHost host, CancellationToken cancellationToken)
    {
        var approved = steps.Select(s => host.ShouldProcess(s.Target, s.Action)).ToList();
        var runnable = approved.TakeWhile(a => a).Count();
        for (var i = 0; i < runnable; i++)
        {
            host.WriteProgress(new ProgressUpdate(ProgressId, Activity, $"{steps[i].Summary} ({steps[i].Target})", i * 100 / steps.Count));
            try
            {
                await steps[i].RunAsync().ConfigureAwait(false);
            }
            catch (DaprSecurityException error) when ((bundleInPlace || _written) && !error.Is(DaprErrors.TrustBundleInconsistent))
            {
                throw Stopped(error, steps, i, bundleReplaced: _written);
            }

            _written |= steps[i].Writes;
            host.Work.Done(steps[i].Target);
            if (steps[i].Writes && i + 1 < steps.Count)
            {
                host.Work.FinishWith("run Update-DaprTrustBundle -RestartOnly (the restarts, in order, for the bundle now in place)");
            }

            if (cancellationToken.IsCancellationRequested || host.Work.Interrupted)
            {
                throw new OperationCanceledException("Update-DaprTrustBundle was stopped.");
            }
        }

        host.WriteProgress(new ProgressUpdate(ProgressId, Activity, "Done", 100, Completed: true));
        if (runnable > 0 && runnable < steps.Count)
        {
            host.WriteWarning($"Stopped before \"{steps[runnable].Summary}\": it was not confirmed. Not done: {Remaining(steps, runnable)}.");
        }

        return runnable == steps.Count;
    }

    private List<Step> Steps(StoredTrustBundle current, TrustBundleReplacement replacement, TrustBundleUpdateRequest request, IReadOnlyList<RolloutStage> stages, TrustBundleRollout rollout, string controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken)
    {
        var steps = new List<Step>();
        if (replacement.RootKey is not null)
        {
            steps.Add(new Step(
                "save the root key",
                Path.GetFullPath(request.RootKeyOutputPath!),
                "Save the new root's PRIVATE KEY, readable only by you",
                Writes: false,
                () =>
                {
                    OwnerOnlyFile.Write(request.RootKeyOutputPath!, System.Text.Encoding.UTF8.GetBytes(Pem.EncodePrivateKey(replacement.RootKey)), overwrite: false);
                    return Task.CompletedTask;
                }));
        }

        steps.Add(new Step(
            "write the trust bundle",
            $"{current.SecretName} and {current.ConfigMapName}",
            $"Replace the trust bundle with {replacement.Origin}: {Describe(current, replacement)}; the current bundle is saved first to {request.BackupPath ?? TrustBundleBackup.DefaultDirectory}, readable only by you",
            Writes: true,
            () => new TrustBundleWriter(_cluster).WriteAsync(current, replacement.Content, () => SaveRecoveryFile(current, request, host), host, cancellationToken)));
        steps.AddRange(RestartSteps(stages, rollout, request, controlPlaneNamespace, host, cancellationToken));
        return steps;
    }

    /// <summary>The restart stages; the first (Sentry) starts by reading the bundle again and refusing an inconsistent one.</summary>
    private IReadOnlyList<Step> RestartSteps(IReadOnlyList<RolloutStage> stages, TrustBundleRollout rollout, TrustBundleUpdateRequest request, string controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken)
        => stages.Select((stage, index) => new Step(stage.Summary, stage.Target, stage.Action, Writes: false, async () =>
        {
            if (index == 0)
            {
                (await new TrustBundleStore(_cluster).ReadAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false))
                    .EnsureConsistent(_recoveryFile ?? TrustBundleBackup.FindLatest(_cluster.ContextName, controlPlaneNamespace));
            }

            await rollout.RunAsync(stage, host, cancellationToken).ConfigureAwait(false);
        })).ToList();

    /// <summary>Saves the bundle about to be replaced and says where (never what: it holds private keys).</summary>
    private string SaveRecoveryFile(StoredTrustBundle current, TrustBundleUpdateRequest request, IEngineHost host)
    {
        _recoveryFile = TrustBundleBackup.Save(current, _cluster.ContextName, _cluster.Server, request.BackupPath, host.Clock.GetUtcNow().UtcDateTime);
        host.WriteHostLine($"Saved the current trust bundle to {_recoveryFile} (private keys included, readable only by you). To put it back: Update-DaprTrustBundle -RestoreFrom '{_recoveryFile}'");
        return _recoveryFile;
    }

    private static string Describe(StoredTrustBundle current, TrustBundleReplacement replacement)
    {
        var issuer = replacement.Bundle.IssuerChain[0];
        var roots = replacement.RootChanged(current)
            ? "ca.crt " + string.Join(", ", replacement.Bundle.Roots.Select(r => $"{TrustBundle.Name(r)} {CertificateInspector.KeyAlgorithm(r)} until {CertificateInspector.NotAfter(r):u}")) + ", the same in the ConfigMap"
            : "ca.crt unchanged";
        return $"{roots}; issuer {TrustBundle.Name(issuer)} {CertificateInspector.KeyAlgorithm(issuer)} until {CertificateInspector.NotAfter(issuer):u}";
    }

    private static async Task ReportAsync(StoredTrustBundle current, TrustBundleReplacement replacement, TrustBundleUpdateRequest request, IReadOnlyList<RolloutStage> stages, TrustBundleRollout rollout, IEngineHost host, CancellationToken cancellationToken)
    {
        var rootChanged = replacement.RootChanged(current);
        if (!request.Restart)
        {
            host.WriteWarning(rootChanged
                ? "The new bundle takes effect only after restarts, in this order: Sentry, then the operator, placement, scheduler and injector, then every Dapr workload. Run Update-DaprTrustBundle -RestartOnly to have them done and waited for."
                : "Sentry keeps signing with the old issuer until it restarts. Run Update-DaprTrustBundle -RestartOnly to restart Sentry, the rest of the control plane and the Dapr workloads in order.");
        }
        else if (rootChanged && await rollout.FindUnmanagedPodsAsync(stages, cancellationToken).ConfigureAwait(false) is { Count: > 0 } unmanaged)
        {
            host.WriteWarning($"{unmanaged.Count} Dapr pods belong to no Deployment, StatefulSet or DaemonSet and keep the old trust anchors until recreated: {string.Join(", ", unmanaged.Take(10))}{(unmanaged.Count > 10 ? " ..." : "")}");
        }

        var workloads = stages.Sum(s => s.Workloads.Count);
        host.WriteHostLine($"Dapr trust bundle updated in {current.Namespace} ({replacement.Origin}); issuer valid until {CertificateInspector.NotAfter(replacement.Bundle.IssuerChain[0]):u}." + (request.Restart ? $" {workloads} workloads restarted in order and rolled out." : ""));
    }

    /// <summary>A restart failed with the bundle in place: say so, and what is left.</summary>
    private static DaprSecurityException Stopped(DaprSecurityException error, IReadOnlyList<Step> steps, int failed, bool bundleReplaced)
        => error.Reraise(
            $"{(bundleReplaced ? "The trust bundle was replaced, but the restarts stopped" : "The restarts stopped")}: {error.Message} Done: {(failed == 0 ? "nothing" : string.Join(", ", steps.Take(failed).Select(s => s.Summary)))}. Not done: {Remaining(steps, failed)}.",
            error,
            "Fix the workload, then finish with Update-DaprTrustBundle -RestartOnly (the same restarts, in the same order, without a new bundle) and check with Test-DaprMtls.");

    private static string Remaining(IReadOnlyList<Step> steps, int from) => string.Join(", ", steps.Skip(from).Select(s => s.Summary));

    /// <summary>One step as -WhatIf and -Confirm show it (Action on Target), and its work.</summary>
    /// <param name="Writes">True for the step that writes the bundle: failures after it leave the cluster changed.</param>
    private sealed record Step(string Summary, string Target, string Action, bool Writes, Func<Task> RunAsync);
}
