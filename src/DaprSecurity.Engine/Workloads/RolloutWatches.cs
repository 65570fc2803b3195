using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Restarts workloads and follows their rollouts with one watch per kind and namespace (<see cref="NamespaceRolloutWatch"/>),
/// opened by the first rollout of that kind and namespace and closed when its last one has ended, so a wave of 50
/// namespaces holds 50 watches however many workloads each has, and none outlives its wave. A watch starts from the
/// newest resourceVersion of the kind this run has been answered with (or the workload's own, as read), so it opens
/// alongside the first restart instead of after it, and from a recent point of the server's history.
/// </summary>
internal sealed class RolloutWatches
{
    private readonly ClusterConnection _cluster;
    private readonly TimeProvider _clock;
    private readonly RolloutRestarter _restarter;
    private readonly Dictionary<(DaprWorkloadKind Kind, string Namespace), NamespaceRolloutWatch> _watches = new();
    private readonly Dictionary<DaprWorkloadKind, string> _lastAnswered = new();

    public RolloutWatches(ClusterConnection cluster, TimeProvider clock)
    {
        _cluster = cluster;
        _clock = clock;
        _restarter = new RolloutRestarter(cluster, clock);
    }

    /// <summary>Restarts the target (<see cref="RolloutRestarter.RestartAsync"/>) and follows its rollout to its end or <paramref name="timeout"/>.</summary>
    public async Task<RolloutResult> RestartAndFollowAsync(RolloutTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Acquire(target.Workload);
        try
        {
            var restarted = await _restarter.RestartAsync(target.Workload, target.TemplateAnnotations, cancellationToken).ConfigureAwait(false);
            Answered(restarted);
            return await watch.FollowAsync(restarted, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(target.Workload, watch).ConfigureAwait(false);
        }
    }

    private NamespaceRolloutWatch Acquire(Workload workload)
    {
        lock (_watches)
        {
            var key = (workload.Kind, workload.Namespace);
            if (!_watches.TryGetValue(key, out var watch))
            {
                // Any answer received so far came before this workload's restart is sent: the watch misses none of its changes.
                var from = _lastAnswered.GetValueOrDefault(workload.Kind) ?? workload.ResourceVersion;
                watch = new NamespaceRolloutWatch(_cluster, _clock, workload.Kind, workload.Namespace, from);
                _watches[key] = watch;
            }

            watch.Users++;
            return watch;
        }
    }

    private void Answered(Workload restarted)
    {
        if (restarted.ResourceVersion is { } version)
        {
            lock (_watches)
            {
                _lastAnswered[restarted.Kind] = version;
            }
        }
    }

    private async Task ReleaseAsync(Workload workload, NamespaceRolloutWatch watch)
    {
        lock (_watches)
        {
            if (--watch.Users > 0)
            {
                return;
            }

            _watches.Remove((workload.Kind, workload.Namespace));
        }

        await watch.DisposeAsync().ConfigureAwait(false);
    }
}
