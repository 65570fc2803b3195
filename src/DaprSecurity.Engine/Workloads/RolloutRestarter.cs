using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

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
/// Restarts workloads as <c>kubectl rollout restart</c> does (a new <c>kubectl.kubernetes.io/restartedAt</c> pod-template
/// annotation, so the controller replaces pods gradually), but with a value that is always new and a check of the
/// server's answer, so a restart that changed nothing is an error rather than a success. Rollouts are followed with a
/// watch from the restart's resourceVersion (as <c>kubectl rollout status</c> does), resumed when it drops, and read
/// afresh when the server answers 410 Gone.
/// </summary>
public sealed class RolloutRestarter
{
    /// <summary>How long one watch request may stay open before it is renewed (servers end watches on their own too).</summary>
    private static readonly int s_watchSeconds = 60;

    private static readonly TimeSpan s_reconnectPause = TimeSpan.FromMilliseconds(100);

    private readonly ClusterConnection _cluster;
    private readonly WorkloadCatalog _catalog;
    private readonly TimeProvider _clock;

    public RolloutRestarter(ClusterConnection cluster, TimeProvider clock)
    {
        _cluster = cluster;
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

    /// <summary>
    /// Follows the rollout of <paramref name="restarted"/> (the answer of <see cref="RestartAsync"/>) until the controller
    /// has observed its generation and every replica is updated and available, the rollout fails, or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<RolloutResult> WaitAsync(Workload restarted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _clock);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var current = restarted;
        var resourceVersion = restarted.ResourceVersion;
        try
        {
            while (true)
            {
                if (Outcome(current, restarted.Generation) is { } done)
                {
                    return done;
                }

                var gone = false;
                try
                {
                    await foreach (var change in WatchAsync(current, resourceVersion, limit.Token).ConfigureAwait(false))
                    {
                        if (change.Type == WatchEventType.Error)
                        {
                            gone = true;
                            break;
                        }

                        resourceVersion = change.ResourceVersion;
                        if (change.Type == WatchEventType.Deleted)
                        {
                            throw DaprErrors.WorkloadNotFound.Raise($"{restarted.DisplayName} was deleted during its rollout.", restarted.DisplayName);
                        }

                        current = change.Workload ?? current;
                        if (Outcome(current, restarted.Generation) is { } outcome)
                        {
                            return outcome;
                        }
                    }
                }
                catch (Exception dropped) when (!limit.IsCancellationRequested && IsDroppedWatch(dropped))
                {
                    // The connection went away or the server was busy: resume from the last resourceVersion seen, after a pause.
                    await Task.Delay(s_reconnectPause, _clock, limit.Token).ConfigureAwait(false);
                }
                catch (Exception other) when (KubeApiErrors.Translate(other, _cluster.Server, restarted.DisplayName, limit.Token) is { } translated)
                {
                    throw translated;
                }

                if (gone)
                {
                    // 410 Gone: the events since our resourceVersion are no longer kept. Read the workload and watch from there.
                    current = await _catalog.GetAsync(current.Kind, current.Namespace, current.Name, limit.Token).ConfigureAwait(false);
                    resourceVersion = current.ResourceVersion;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RolloutResult(current, RolloutStatus.TimedOut, $"not finished after {timeout.TotalSeconds:0} s: {current.Rollout.Message}");
        }
        catch (DaprSecurityException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new RolloutResult(current, RolloutStatus.TimedOut, $"not finished after {timeout.TotalSeconds:0} s: {current.Rollout.Message}");
        }
    }

    /// <summary>Done when the controller observed at least <paramref name="generation"/> and the rollout completed or failed.</summary>
    private static RolloutResult? Outcome(Workload workload, long generation)
    {
        if (workload.ObservedGeneration < generation)
        {
            return null;
        }

        return workload.Rollout.Phase switch
        {
            RolloutPhase.Complete => new RolloutResult(workload, RolloutStatus.Complete, workload.Rollout.Message),
            RolloutPhase.Failed => new RolloutResult(workload, RolloutStatus.Failed, workload.Rollout.Message),
            _ => null,
        };
    }

    /// <summary>Events of one workload from <paramref name="resourceVersion"/> on; an ERROR event (410 Gone) ends the stream with type Error.</summary>
    private async IAsyncEnumerable<WatchedChange> WatchAsync(Workload workload, string? resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? error = null;
        var (ns, field) = (workload.Namespace, $"metadata.name={workload.Name}");
        var events = workload.Kind switch
        {
            DaprWorkloadKind.Deployment => Map(_cluster.Client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, fieldSelector: field, resourceVersion: resourceVersion, timeoutSeconds: s_watchSeconds, onError: e => error = e, cancellationToken: cancellationToken), Workload.From),
            DaprWorkloadKind.StatefulSet => Map(_cluster.Client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, allowWatchBookmarks: true, fieldSelector: field, resourceVersion: resourceVersion, timeoutSeconds: s_watchSeconds, onError: e => error = e, cancellationToken: cancellationToken), Workload.From),
            _ => Map(_cluster.Client.AppsV1.WatchListNamespacedDaemonSetAsync(ns, allowWatchBookmarks: true, fieldSelector: field, resourceVersion: resourceVersion, timeoutSeconds: s_watchSeconds, onError: e => error = e, cancellationToken: cancellationToken), Workload.From),
        };

        await foreach (var change in events.ConfigureAwait(false))
        {
            yield return change;
            if (error is not null)
            {
                break;
            }
        }

        switch (error)
        {
            case null:
                yield break;
            case KubernetesException { Status.Code: (int)HttpStatusCode.Gone }:
                yield return new WatchedChange(WatchEventType.Error, null, null);
                yield break;
            case KubernetesException status:
                throw DaprErrors.KubeApiError.Raise($"{workload.DisplayName}: the watch of its rollout failed: {status.Status?.Message} (server {_cluster.Server})", workload.DisplayName, status);
            default:
                throw error;
        }
    }

    private static async IAsyncEnumerable<WatchedChange> Map<T>(IAsyncEnumerable<(WatchEventType, T)> events, Func<T, Workload> toWorkload)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            // A bookmark carries nothing but the resourceVersion to resume from.
            yield return new WatchedChange(type, type == WatchEventType.Bookmark ? null : toWorkload(item), item.Metadata?.ResourceVersion);
        }
    }

    /// <summary>A watch that ended without an answer: reset, half-read line, or the server going away.</summary>
    private static bool IsDroppedWatch(Exception error) => error is HttpRequestException or IOException or System.Text.Json.JsonException
        || error is k8s.Autorest.HttpOperationException { Response.StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError };

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

    /// <summary>One watch event: its type, the workload (none for bookmarks and errors) and the resourceVersion to resume from.</summary>
    private readonly record struct WatchedChange(WatchEventType Type, Workload? Workload, string? ResourceVersion);
}
