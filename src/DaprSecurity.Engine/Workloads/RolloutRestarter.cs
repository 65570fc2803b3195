using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Kubernetes;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Restarts workloads as <c>kubectl rollout restart</c> does (a new <c>kubectl.kubernetes.io/restartedAt</c> pod-template
/// annotation, so the controller replaces pods gradually), but with a value that is always new and a check of the
/// server's answer, so a restart that changed nothing is an error rather than a success. <see cref="RolloutWatches"/>
/// follows the rollouts.
/// </summary>
public sealed class RolloutRestarter
{
    private readonly WorkloadCatalog _catalog;
    private readonly TimeProvider _clock;

    public RolloutRestarter(ClusterConnection cluster, TimeProvider clock)
    {
        _catalog = new WorkloadCatalog(cluster);
        _clock = clock;
    }

    /// <summary>
    /// Rolls the workload's pods; a paused Deployment is refused (kubectl refuses it too). <paramref name="templateAnnotations"/>
    /// go onto the pod template in the same write, so the new pods inherit them (the token fingerprints they start with).
    /// </summary>
    public async Task<Workload> RestartAsync(Workload workload, IReadOnlyDictionary<string, string>? templateAnnotations, CancellationToken cancellationToken)
    {
        if (workload.Paused)
        {
            throw DaprErrors.WorkloadPaused.Raise(
                $"{workload.DisplayName} is paused; it was not restarted.",
                workload.DisplayName,
                recommendedAction: "Resume it (kubectl rollout resume) and restart it again.");
        }

        var restartedAt = NewRestartStamp(workload.Annotation(DaprAnnotations.RestartedAt));
        var annotations = new JsonObject { [DaprAnnotations.RestartedAt] = restartedAt };
        foreach (var (key, value) in templateAnnotations ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } } } };
        var restarted = await _catalog.PatchTemplateAsync(workload, patch, cancellationToken).ConfigureAwait(false);

        // The server's answer is the proof: the template carries the new value and the spec moved to a new generation.
        // (A retried patch that the server had already applied answers the same way, so retries stay correct.)
        if (restarted.Annotation(DaprAnnotations.RestartedAt) != restartedAt || restarted.Generation <= workload.Generation)
        {
            throw DaprErrors.RestartNotApplied.Raise(
                $"{workload.DisplayName} was not restarted: the API server's answer shows no new pod template (generation {restarted.Generation}, read as {workload.Generation}).",
                workload.DisplayName,
                recommendedAction: "Check for an admission webhook or controller that reverts pod-template annotations, then restart it again.");
        }

        return restarted;
    }

    /// <summary>Now, to the tick (never the one-second value kubectl writes), and later than <paramref name="previous"/>, so it always changes the template.</summary>
    private string NewRestartStamp(string? previous)
    {
        var now = _clock.GetUtcNow();
        if (DateTimeOffset.TryParse(previous, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var last) && last >= now)
        {
            now = last.AddTicks(1);
        }

        return now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
    }
}
