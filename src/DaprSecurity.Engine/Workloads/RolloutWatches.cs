using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Restarts workloads and follows their rollouts with one watch per kind and namespace (<see cref="NamespaceRolloutWatch"/>),
/// opened by the first rollout of that kind and namespace and closed when its last one has ended, so a wave of 50
/// namespaces holds 50 watches however many workloads each has, and none outlives its wave.
/// </summary>
internal sealed class RolloutWatches
{
    private readonly ClusterConnection _cluster;
    private readonly TimeProvider _clock;
    private readonly RolloutRestarter _restarter;
    private readonly Dictionary<(DaprWorkloadKind Kind, string Namespace), NamespaceRolloutWatch> _watches = new();

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
            var restarted = await watch.RestartAsync(() => _restarter.RestartAsync(target.Workload, target.TemplateAnnotations, cancellationToken), cancellationToken).ConfigureAwait(false);
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
                watch = new NamespaceRolloutWatch(_cluster, _clock, workload.Kind, workload.Namespace);
                _watches[key] = watch;
            }

            watch.Users++;
            return watch;
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
