using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Dapr;

namespace DaprSecurity.Engine.Workloads;

/// <summary>How a rollout that was waited for ended.</summary>
public enum RolloutStatus
{
    Complete,
    Failed,
    TimedOut,
}

/// <summary>The end of a wait: the workload as last read, and kubectl-style words about it.</summary>
public sealed record RolloutResult(Workload Workload, RolloutStatus Status, string Message);

/// <summary>
/// Restarts workloads exactly as <c>kubectl rollout restart</c> does (a new <c>kubectl.kubernetes.io/restartedAt</c>
/// pod-template annotation, so the controller replaces pods gradually), and follows a rollout until it completes,
/// fails (progress deadline exceeded) or a timeout passes.
/// </summary>
public sealed class RolloutRestarter
{
    private readonly WorkloadCatalog _catalog;
    private readonly TimeSpan _pollInterval;

    public RolloutRestarter(Kubernetes.ClusterConnection cluster, TimeSpan? pollInterval = null)
    {
        _catalog = new WorkloadCatalog(cluster);
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(500);
    }

    /// <summary>Rolls the workload's pods; a paused Deployment is refused (kubectl refuses it too).</summary>
    public Task<Workload> RestartAsync(Workload workload, CancellationToken cancellationToken)
    {
        if (workload.Paused)
        {
            throw DaprErrors.WorkloadPaused.Raise($"{workload.DisplayName} is paused; it was not restarted.",
                workload.DisplayName,
                recommendedAction: "Resume it (kubectl rollout resume) and restart it again.");
        }

        var restartedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [DaprAnnotations.RestartedAt] = restartedAt } },
                },
            },
        };
        return _catalog.PatchTemplateAsync(workload, patch, cancellationToken);
    }

    /// <summary>Polls the workload until its rollout is complete or failed, or <paramref name="timeout"/> passes.</summary>
    public async Task<RolloutResult> WaitAsync(Workload workload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var current = workload;
        while (true)
        {
            current = await _catalog.GetAsync(current.Kind, current.Namespace, current.Name, cancellationToken).ConfigureAwait(false);
            switch (current.Rollout.Phase)
            {
                case RolloutPhase.Complete:
                    return new RolloutResult(current, RolloutStatus.Complete, current.Rollout.Message);
                case RolloutPhase.Failed:
                    return new RolloutResult(current, RolloutStatus.Failed, current.Rollout.Message);
            }

            if (clock.Elapsed >= timeout)
            {
                return new RolloutResult(current, RolloutStatus.TimedOut, $"not finished after {timeout.TotalSeconds:0} s: {current.Rollout.Message}");
            }

            await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
