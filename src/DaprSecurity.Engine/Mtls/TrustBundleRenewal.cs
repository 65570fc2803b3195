using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// Update-DaprTrustBundle: build and validate the new bundle, read the restart plan, show or confirm every step before
/// the first one runs, then save the root key (if asked), write the bundle both-or-neither, and run the restart stages in
/// order. It stops at the first failure or declined step and says what was done and what was not; it reports success
/// only when every step succeeded.
/// </summary>
internal sealed class TrustBundleRenewal
{
    private const int ProgressId = 61;
    private const string Activity = "Updating the Dapr trust bundle";

    private readonly ClusterConnection _cluster;

    public TrustBundleRenewal(ClusterConnection cluster) => _cluster = cluster;

    public IReadOnlyList<DaprCertificateInfo> Run(DaprControlPlane controlPlane, StoredTrustBundle current, TrustBundleUpdateRequest request, IEngineHost host)
    {
        var now = DateTime.UtcNow;
        var replacement = TrustBundleReplacement.Prepare(request, controlPlane, current, now, host);
        var rollout = new TrustBundleRollout(_cluster);
        var stages = request.Restart ? rollout.PlanAsync(controlPlane.Namespace, host.CancellationToken).GetAwaiter().GetResult() : Array.Empty<RolloutStage>();
        var steps = Steps(current, replacement, request, stages, rollout, host);

        // Every step is shown (-WhatIf) or confirmed (-Confirm) before the first one runs.
        var approved = steps.Select(s => host.ShouldProcess(s.Target, s.Action)).ToList();
        var runnable = approved.TakeWhile(a => a).Count();
        var written = false;
        for (var i = 0; i < runnable; i++)
        {
            host.WriteProgress(new ProgressUpdate(ProgressId, Activity, $"{steps[i].Summary} ({steps[i].Target})", i * 100 / steps.Count));
            try
            {
                steps[i].Run();
            }
            catch (DaprSecurityException error) when (written)
            {
                throw Stopped(error, steps, i);
            }

            written |= steps[i].Writes;
        }

        host.WriteProgress(new ProgressUpdate(ProgressId, Activity, "Done", 100, Completed: true));
        if (runnable == steps.Count)
        {
            Report(current, replacement, request, stages, rollout, host);
        }
        else if (runnable > 0)
        {
            host.WriteWarning($"Stopped before \"{steps[runnable].Summary}\": it was not confirmed. Not done: {Remaining(steps, runnable)}.");
        }

        return written
            ? CertificateInspector.DescribeBundle(replacement.Bundle.Roots, current.SecretName, replacement.Bundle.IssuerChain, current.SecretName, controlPlane.Namespace, DateTime.UtcNow).ToList()
            : Array.Empty<DaprCertificateInfo>();
    }

    private List<Step> Steps(StoredTrustBundle current, TrustBundleReplacement replacement, TrustBundleUpdateRequest request, IReadOnlyList<RolloutStage> stages, TrustBundleRollout rollout, IEngineHost host)
    {
        var steps = new List<Step>();
        if (replacement.RootKey is not null)
        {
            steps.Add(new Step(
                "save the root key",
                Path.GetFullPath(request.RootKeyOutputPath!),
                "Save the new root's PRIVATE KEY, readable only by you",
                Writes: false,
                () => OwnerOnlyFile.Write(request.RootKeyOutputPath!, System.Text.Encoding.UTF8.GetBytes(Pem.EncodePrivateKey(replacement.RootKey)), overwrite: false)));
        }

        steps.Add(new Step(
            "write the trust bundle",
            $"{current.SecretName} and {current.ConfigMapName}",
            $"Replace the trust bundle with {replacement.Origin}: {Describe(current, replacement)}",
            Writes: true,
            () => new TrustBundleWriter(_cluster).WriteAsync(current, replacement.Content, host).GetAwaiter().GetResult()));
        steps.AddRange(stages.Select(stage => new Step(stage.Summary, stage.Target, stage.Action, Writes: false, () => rollout.RunAsync(stage, request.RolloutTimeout, host).GetAwaiter().GetResult())));
        return steps;
    }

    private static string Describe(StoredTrustBundle current, TrustBundleReplacement replacement)
    {
        var issuer = replacement.Bundle.IssuerChain[0];
        var roots = replacement.RootChanged(current)
            ? "ca.crt " + string.Join(", ", replacement.Bundle.Roots.Select(r => $"{TrustBundle.Name(r)} {CertificateInspector.KeyAlgorithm(r)} until {CertificateInspector.NotAfter(r):u}")) + ", the same in the ConfigMap"
            : "ca.crt unchanged";
        return $"{roots}; issuer {TrustBundle.Name(issuer)} {CertificateInspector.KeyAlgorithm(issuer)} until {CertificateInspector.NotAfter(issuer):u}";
    }

    private static void Report(StoredTrustBundle current, TrustBundleReplacement replacement, TrustBundleUpdateRequest request, IReadOnlyList<RolloutStage> stages, TrustBundleRollout rollout, IEngineHost host)
    {
        var rootChanged = replacement.RootChanged(current);
        if (!request.Restart)
        {
            host.WriteWarning(rootChanged
                ? "The new bundle takes effect only after restarts, in this order: Sentry, then the operator, placement, scheduler and injector, then every Dapr workload. Use -Restart to have them done and waited for."
                : "Sentry keeps signing with the old issuer until it restarts. Use -Restart, or restart Sentry, then the rest of the control plane and the Dapr workloads.");
        }
        else if (rootChanged && rollout.FindUnmanagedPodsAsync(stages, host.CancellationToken).GetAwaiter().GetResult() is { Count: > 0 } unmanaged)
        {
            host.WriteWarning($"{unmanaged.Count} Dapr pods belong to no Deployment, StatefulSet or DaemonSet and keep the old trust anchors until recreated: {string.Join(", ", unmanaged.Take(10))}{(unmanaged.Count > 10 ? " ..." : "")}");
        }

        var workloads = stages.Sum(s => s.Workloads.Count);
        host.WriteHostLine($"Dapr trust bundle updated in {current.Namespace} ({replacement.Origin}); issuer valid until {CertificateInspector.NotAfter(replacement.Bundle.IssuerChain[0]):u}." + (request.Restart ? $" {workloads} workloads restarted in order and rolled out." : ""));
    }

    /// <summary>A restart failed after the bundle was written: say so, and what is left.</summary>
    private static DaprSecurityException Stopped(DaprSecurityException error, IReadOnlyList<Step> steps, int failed)
        => new(
            error.ErrorId,
            error.Category,
            $"The trust bundle was replaced, but the restarts stopped: {error.Message} Done: {string.Join(", ", steps.Take(failed).Select(s => s.Summary))}. Not done: {Remaining(steps, failed)}.",
            error.TargetObject,
            error,
            "Fix the workload, then restart the rest in the same order (kubectl rollout restart) and check with Test-DaprMtls; its TrustAnchorsCurrent check lists the pods still on the old trust anchors.");

    private static string Remaining(IReadOnlyList<Step> steps, int from) => string.Join(", ", steps.Skip(from).Select(s => s.Summary));

    /// <summary>One step as -WhatIf and -Confirm show it (Action on Target), and its work.</summary>
    /// <param name="Writes">True for the step that writes the bundle: failures after it leave the cluster changed.</param>
    private sealed record Step(string Summary, string Target, string Action, bool Writes, Action Run);
}
