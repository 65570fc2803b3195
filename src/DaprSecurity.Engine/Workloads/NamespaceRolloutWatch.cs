using System.Net;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// One watch of one kind of workload in one namespace, shared by every rollout of that kind and namespace in flight (as
/// <c>kubectl rollout status</c> watches, but one connection for all of them). It opens at once, from a resourceVersion
/// read before any of the restarts it follows was sent, so it sees every change after each of them and no restart waits
/// for it. A watch that drops is resumed from the last resourceVersion seen; after 410 Gone (a start older than the
/// server keeps) the kind is listed in the namespace and watched again from the list.
/// </summary>
internal sealed class NamespaceRolloutWatch : IAsyncDisposable
{
    /// <summary>How long one watch request may stay open before it is renewed (servers end watches on their own too).</summary>
    private const int WatchSeconds = 60;

    private static readonly TimeSpan s_reconnectPause = TimeSpan.FromMilliseconds(100);

    private readonly ClusterConnection _cluster;
    private readonly TimeProvider _clock;
    private readonly DaprWorkloadKind _kind;
    private readonly string _namespace;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private readonly Dictionary<string, Workload> _latest = new(StringComparer.Ordinal);
    private readonly List<Follower> _followers = new();
    private readonly Task _running;
    private DaprSecurityException? _broken;

    /// <summary>Starts watching from <paramref name="resourceVersion"/>, which must have been read before the restarts to follow are sent.</summary>
    public NamespaceRolloutWatch(ClusterConnection cluster, TimeProvider clock, DaprWorkloadKind kind, string @namespace, string? resourceVersion)
    {
        _cluster = cluster;
        _clock = clock;
        _kind = kind;
        _namespace = @namespace;
        _running = Task.Run(() => RunAsync(resourceVersion), CancellationToken.None);
    }

    /// <summary>How many rollouts use this watch; <see cref="RolloutWatches"/> counts them under its lock and stops the watch at zero.</summary>
    public int Users { get; set; }

    private string What => $"{_kind}s in namespace {_namespace}";

    /// <summary>
    /// Waits until the controller has observed the generation of <paramref name="restarted"/> (the restart's answer) and
    /// every replica is updated and available, the rollout fails, or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<RolloutResult> FollowAsync(Workload restarted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var follower = new Follower(restarted);
        lock (_lock)
        {
            if (_broken is not null)
            {
                throw _broken;
            }

            // The watch may have seen this workload's later states before we got here: they count as well.
            if ((Outcome(restarted, restarted.Generation) ?? (_latest.TryGetValue(restarted.Name, out var seen) ? Outcome(seen, restarted.Generation) : null)) is { } done)
            {
                return done;
            }

            _followers.Add(follower);
        }

        using var deadline = new CancellationTokenSource(timeout, _clock);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await follower.Done.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var last = Latest(restarted);
            return new RolloutResult(last, RolloutStatus.TimedOut, $"not finished after {timeout.TotalSeconds:0} s: {last.Rollout.Message}");
        }
        finally
        {
            lock (_lock)
            {
                _followers.Remove(follower);
            }
        }
    }

    /// <summary>Ends the watch once nobody follows a rollout with it.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _running.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Watches until disposed (its own token, not a caller's: one watch serves several rollouts); never throws: a failure it cannot recover from ends every rollout it follows with that error.</summary>
    private async Task RunAsync(string? resourceVersion)
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var gone = false;
                await foreach (var change in WatchAsync(resourceVersion, token).ConfigureAwait(false))
                {
                    if (change.Type == WatchEventType.Error)
                    {
                        gone = true;
                        break;
                    }

                    resourceVersion = change.ResourceVersion ?? resourceVersion;
                    if (change.Workload is { } workload && change.Type == WatchEventType.Deleted)
                    {
                        Vanished(workload.Name);
                    }
                    else if (change.Workload is { } changed)
                    {
                        Observe(changed);
                    }
                }

                if (gone)
                {
                    // 410 Gone: the events since our resourceVersion are no longer kept. List, and watch from the list.
                    resourceVersion = await RelistAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception dropped) when (IsDroppedWatch(dropped))
            {
                // The connection went away or the server was busy: resume from the last resourceVersion seen, after a pause.
                try
                {
                    await Task.Delay(s_reconnectPause, _clock, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception failure)
            {
                Break(failure as DaprSecurityException
                    ?? KubeApiErrors.Translate(failure, _cluster.Server, What, token)
                    ?? DaprErrors.KubeApiError.Raise($"The watch of {What} failed: {failure.Message} (server {_cluster.Server})", What, failure));
                return;
            }
        }
    }

    /// <summary>A new state of a workload of this kind and namespace: it ends the rollouts it completes or fails.</summary>
    private void Observe(Workload workload)
    {
        lock (_lock)
        {
            _latest[workload.Name] = workload;
            foreach (var follower in _followers.Where(f => f.Name == workload.Name))
            {
                if (Outcome(workload, follower.Generation) is { } outcome)
                {
                    follower.Done.TrySetResult(outcome);
                }
            }
        }
    }

    /// <summary>A workload deleted during its rollout ends it with an error.</summary>
    private void Vanished(string name)
    {
        lock (_lock)
        {
            _latest.Remove(name);
            foreach (var follower in _followers.Where(f => f.Name == name))
            {
                follower.Done.TrySetException(DaprErrors.WorkloadNotFound.Raise($"{follower.DisplayName} was deleted during its rollout.", follower.DisplayName));
            }
        }
    }

    private void Break(DaprSecurityException error)
    {
        lock (_lock)
        {
            _broken = error;
            foreach (var follower in _followers)
            {
                follower.Done.TrySetException(error);
            }
        }
    }

    private Workload Latest(Workload restarted)
    {
        lock (_lock)
        {
            return _latest.TryGetValue(restarted.Name, out var seen) && seen.Generation >= restarted.Generation ? seen : restarted;
        }
    }

    /// <summary>The list fallback: every workload of the kind in the namespace as it is now (one missing was deleted), and the resourceVersion to watch from.</summary>
    private async Task<string?> RelistAsync(CancellationToken cancellationToken)
    {
        var (items, resourceVersion) = _kind switch
        {
            DaprWorkloadKind.Deployment => Items(await _cluster.CallAsync((c, ct) => c.AppsV1.ListNamespacedDeploymentAsync(_namespace, cancellationToken: ct), What, cancellationToken).ConfigureAwait(false)),
            DaprWorkloadKind.StatefulSet => Items(await _cluster.CallAsync((c, ct) => c.AppsV1.ListNamespacedStatefulSetAsync(_namespace, cancellationToken: ct), What, cancellationToken).ConfigureAwait(false)),
            _ => Items(await _cluster.CallAsync((c, ct) => c.AppsV1.ListNamespacedDaemonSetAsync(_namespace, cancellationToken: ct), What, cancellationToken).ConfigureAwait(false)),
        };
        var present = items.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        List<string> vanished;
        lock (_lock)
        {
            vanished = _followers.Select(f => f.Name).Where(n => !present.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        }

        foreach (var workload in items)
        {
            Observe(workload);
        }

        foreach (var name in vanished)
        {
            Vanished(name);
        }

        return resourceVersion;
    }

    private static (IReadOnlyList<Workload>, string?) Items(V1DeploymentList list) => (list.Items.Select(Workload.From).ToList(), list.Metadata?.ResourceVersion);

    private static (IReadOnlyList<Workload>, string?) Items(V1StatefulSetList list) => (list.Items.Select(Workload.From).ToList(), list.Metadata?.ResourceVersion);

    private static (IReadOnlyList<Workload>, string?) Items(V1DaemonSetList list) => (list.Items.Select(Workload.From).ToList(), list.Metadata?.ResourceVersion);

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

    /// <summary>Events of the kind in the namespace from <paramref name="resourceVersion"/> on; an ERROR event (410 Gone) ends the stream with type Error.</summary>
    private async IAsyncEnumerable<WatchedChange> WatchAsync(string? resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? error = null;
        var apps = _cluster.Client.AppsV1;
        var events = _kind switch
        {
            DaprWorkloadKind.Deployment => Map(apps.WatchListNamespacedDeploymentAsync(_namespace, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: e => error = e, cancellationToken: cancellationToken), Workload.From),
            DaprWorkloadKind.StatefulSet => Map(apps.WatchListNamespacedStatefulSetAsync(_namespace, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: e => error = e, cancellationToken: cancellationToken), Workload.From),
            _ => Map(apps.WatchListNamespacedDaemonSetAsync(_namespace, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: e => error = e, cancellationToken: cancellationToken), Workload.From),
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
                throw DaprErrors.KubeApiError.Raise($"The watch of {What} failed: {status.Status?.Message} (server {_cluster.Server})", What, status);
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

    /// <summary>
    /// A watch that ended without an answer: reset, half-read line, or the server going away. Not a server that is
    /// gone (a refused connection, an unknown host, TLS refused, as when reconnecting to an API server that was
    /// stopped): as for every other request (RetryHandler), repeating cannot fix that, so it ends the rollouts at once
    /// with ClusterUnreachable instead of reconnecting every 100 ms until -Timeout.
    /// </summary>
    private static bool IsDroppedWatch(Exception error)
        => error is not HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError }
            && (error is HttpRequestException or IOException or System.Text.Json.JsonException
                || error is k8s.Autorest.HttpOperationException { Response.StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError });

    /// <summary>One watch event: its type, the workload (none for bookmarks and errors) and the resourceVersion to resume from.</summary>
    private readonly record struct WatchedChange(WatchEventType Type, Workload? Workload, string? ResourceVersion);

    /// <summary>A rollout being followed: which workload, which generation, and how it ended.</summary>
    private sealed class Follower(Workload restarted)
    {
        public string Name { get; } = restarted.Name;

        public string DisplayName { get; } = restarted.DisplayName;

        public long Generation { get; } = restarted.Generation;

        public TaskCompletionSource<RolloutResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
