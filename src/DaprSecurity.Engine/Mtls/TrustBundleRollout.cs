using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;
using Org.BouncyCastle.X509;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Workloads restarted together, in parallel, and waited for.</summary>
/// <param name="Summary">A few words for lists of what was and was not done, e.g. "restart namespace shop".</param>
internal sealed record RolloutStage(string Summary, string Target, string Action, IReadOnlyList<Workload> Workloads);

/// <summary>
/// The restarts a new trust bundle needs, in the only order that works (dapr/cli#1574, #1669 get it wrong): Sentry
/// first, so it loads the new issuer; then operator, placement, scheduler and injector, so they trust the new root and
/// the injector bakes it into new sidecars; then every Dapr workload, in waves of namespaces (<see cref="RolloutWaves"/>:
/// a canary, then growing waves). Each stage is one wave of <see cref="WaveRollout"/>, the implementation
/// Restart-DaprDeployment -Wait uses too; the first failure stops everything after it.
/// </summary>
internal sealed class TrustBundleRollout
{
    private readonly ClusterConnection _cluster;
    private readonly WaveRollout _waves;

    /// <param name="cluster">Where to restart.</param>
    /// <param name="clock">Time for rollout deadlines.</param>
    /// <param name="throttleLimit">Restarts (and rollouts followed) at the same time within a stage.</param>
    /// <param name="timeout">How long one rollout may take.</param>
    public TrustBundleRollout(ClusterConnection cluster, TimeProvider clock, int throttleLimit, TimeSpan timeout)
    {
        _cluster = cluster;
        _waves = new WaveRollout(cluster, clock, throttleLimit, timeout);
    }

    /// <summary>The stages, read before anything is written; a missing Sentry or a paused workload stops here.</summary>
    /// <param name="controlPlaneNamespace">Where Sentry and the rest of the control plane run.</param>
    /// <param name="skipAppsTrusting">When set, Dapr workloads whose every pod already trusts these roots are left out (a rerun finishes the rest).</param>
    /// <param name="canary">The namespaces of the first app wave (wildcards); null for the first namespace.</param>
    /// <param name="waves">The sizes of the app waves after the canary; null for the defaults.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public async Task<IReadOnlyList<RolloutStage>> PlanAsync(string controlPlaneNamespace, IReadOnlyList<X509Certificate>? skipAppsTrusting, IReadOnlyList<string>? canary, IReadOnlyList<string>? waves, CancellationToken cancellationToken)
    {
        var services = new ControlPlaneServices(_cluster).ReadAsync(controlPlaneNamespace, cancellationToken);
        var apps = AppsToRestartAsync(skipAppsTrusting, cancellationToken);
        await Task.WhenAll(services, apps).ConfigureAwait(false); // both observed, whichever fails
        var controlPlane = (await services.ConfigureAwait(false)).Select(s => (s.Role, s.Workload)).ToList();
        var sentry = controlPlane.Where(s => s.Role == DaprControlPlaneRole.Sentry).Select(s => s.Workload).ToList();
        if (sentry.Count == 0)
        {
            throw DaprErrors.SentryNotFound.Raise($"No Sentry deployment (label app=dapr-sentry) in {controlPlaneNamespace}; nothing was changed.", controlPlaneNamespace);
        }

        var others = controlPlane.Where(s => s.Role != DaprControlPlaneRole.Sentry).Select(s => s.Workload).ToList();
        var stages = new List<RolloutStage>
        {
            Stage("restart Sentry", $"namespace {controlPlaneNamespace}", "Restart Sentry so it loads the new bundle", sentry),
            Stage("restart the control plane", $"namespace {controlPlaneNamespace}", "Restart the rest of the control plane so it trusts the new root", others),
        };
        var (allApps, appWorkloads) = await apps.ConfigureAwait(false);
        var namespaces = appWorkloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var done = allApps.Select(w => w.Namespace).Except(namespaces, StringComparer.Ordinal).ToList();
        stages.AddRange(RolloutWaves.Split(namespaces, canary, waves, alreadyDone: done).Select(wave =>
        {
            var members = wave.ToHashSet(StringComparer.Ordinal);
            var described = RolloutWaves.Describe(wave);
            return Stage($"restart {described}", described, "Restart the Dapr workloads so their sidecars get the new trust anchors", appWorkloads.Where(w => members.Contains(w.Namespace)).ToList());
        }));
        var paused = stages.SelectMany(s => s.Workloads).Where(w => w.Paused).Select(w => w.DisplayName).ToList();
        if (paused.Count > 0)
        {
            throw DaprErrors.WorkloadPaused.Raise(
                $"{string.Join(", ", paused)} {(paused.Count == 1 ? "is" : "are")} paused and cannot be restarted; nothing was changed.",
                paused[0],
                recommendedAction: "Resume them (kubectl rollout resume), or run without -Restart and restart in order yourself.");
        }

        return stages.Where(s => s.Workloads.Count > 0).ToList();
    }

    /// <summary>Restarts the stage's workloads as one wave (<see cref="WaveRollout"/>); the first one that does not roll out is an error once the wave has ended.</summary>
    public async Task RunAsync(RolloutStage stage, IEngineHost host, CancellationToken cancellationToken)
    {
        DaprSecurityException? first = null;
        var wave = stage.Workloads.Select(w => new RolloutTarget(w)).ToList();
        await foreach (var outcome in _waves.RunAsync(wave, w => host.WriteVerbose($"{w.DisplayName} restarted and rolled out."), cancellationToken).ConfigureAwait(false))
        {
            var workload = outcome.Target.Workload;
            first ??= outcome.Error ?? (outcome.Rollout is { Status: not RolloutStatus.Complete } rollout
                ? (rollout.Status == RolloutStatus.TimedOut ? DaprErrors.RolloutTimedOut : DaprErrors.RolloutFailed).Raise($"{workload.DisplayName} did not roll out: {rollout.Message}.", workload.DisplayName)
                : null);
        }

        if (first is not null)
        {
            throw first;
        }
    }

    /// <summary>Dapr pods that no planned workload owns (bare pods, Jobs): a restart does not give them the new trust anchors.</summary>
    public async Task<IReadOnlyList<string>> FindUnmanagedPodsAsync(IReadOnlyList<RolloutStage> stages, CancellationToken cancellationToken)
    {
        var workloads = stages.SelectMany(s => s.Workloads).ToList();
        var pods = await new WorkloadCatalog(_cluster).ListDaprPodsAsync(null, cancellationToken).ConfigureAwait(false);
        return pods.Where(p => p.Metadata.DeletionTimestamp is null && !workloads.Any(w => w.Selects(p)))
            .Select(p => $"{p.Namespace()}/{p.Name()}")
            .ToList();
    }

    /// <summary>Every Dapr workload, and those to restart: all of them, or (with <paramref name="skipTrusting"/>) those with a pod that does not trust those roots yet.</summary>
    private async Task<(IReadOnlyList<Workload> All, IReadOnlyList<Workload> ToRestart)> AppsToRestartAsync(IReadOnlyList<X509Certificate>? skipTrusting, CancellationToken cancellationToken)
    {
        var catalog = new WorkloadCatalog(_cluster);
        if (skipTrusting is null)
        {
            var apps = await catalog.ListAsync(null, daprEnabledOnly: true, cancellationToken).ConfigureAwait(false);
            return (apps, apps);
        }

        var appsRead = catalog.ListAsync(null, daprEnabledOnly: true, cancellationToken);
        var podsRead = catalog.ListDaprPodsAsync(null, cancellationToken);
        await Task.WhenAll(appsRead, podsRead).ConfigureAwait(false); // both observed, whichever fails
        var pods = await podsRead.ConfigureAwait(false);
        bool TrustsRoots(Workload workload)
        {
            var sidecars = pods.Where(p => p.Metadata.DeletionTimestamp is null && workload.Selects(p)).Select(DaprSidecar.Find).ToList();
            return sidecars.Count > 0 && sidecars.All(s => s?.TrustAnchors is { } anchors && DaprSidecar.SameAnchors(anchors, skipTrusting));
        }

        var all = await appsRead.ConfigureAwait(false);
        return (all, all.Where(w => !TrustsRoots(w)).ToList());
    }

    private static RolloutStage Stage(string summary, string target, string action, IReadOnlyList<Workload> workloads)
        => new(summary, target, $"{action}: {string.Join(", ", workloads.Select(w => $"{w.Kind} {w.Name}"))}; wait for each rollout", workloads);
}
