using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Progressive delivery's one implementation, shared by Restart-DaprDeployment -Wait and Update-DaprTrustBundle -Restart:
/// a wave's workloads are restarted in parallel (up to the throttle limit) and every rollout is followed to its end. The
/// first restart or rollout that goes wrong stops the run: every restart not started yet, in that wave or a later one, is
/// skipped. The callers split namespaces into waves (<see cref="RolloutWaves"/>) and run them one after the other.
/// </summary>
public sealed class WaveRollout
{
    private readonly RolloutWatches _watches;
    private readonly int _throttleLimit;
    private readonly TimeSpan _timeout;
    private string? _stoppedBy;

    public WaveRollout(ClusterConnection cluster, TimeProvider clock, int throttleLimit, TimeSpan timeout)
    {
        _watches = new RolloutWatches(cluster, clock);
        _throttleLimit = throttleLimit;
        _timeout = timeout;
    }

    /// <summary>The workload whose restart or rollout went wrong first, once one has; null while all went well.</summary>
    public string? StoppedBy => Volatile.Read(ref _stoppedBy);

    /// <summary>Runs one wave, streaming each workload's outcome as it ends; <paramref name="rolledOut"/> hears of each completed rollout at once.</summary>
    public IAsyncEnumerable<WaveOutcome> RunAsync(IReadOnlyList<RolloutTarget> wave, Action<Workload>? rolledOut, CancellationToken cancellationToken)
        => BoundedParallel.StreamAsync(wave, _throttleLimit, (target, ct) => RunOneAsync(target, rolledOut, ct), cancellationToken);

    private async Task<WaveOutcome> RunOneAsync(RolloutTarget target, Action<Workload>? rolledOut, CancellationToken cancellationToken)
    {
        if (StoppedBy is not null)
        {
            return new WaveOutcome(target, null, null);
        }

        var attempt = await Attempt<RolloutTarget, RolloutResult>.RunAsync(target, () => _watches.RestartAndFollowAsync(target, _timeout, cancellationToken)).ConfigureAwait(false);
        var outcome = new WaveOutcome(target, attempt.Result, attempt.Error);
        if (outcome.WentWrong)
        {
            Interlocked.CompareExchange(ref _stoppedBy, target.Workload.DisplayName, null);
        }
        else
        {
            rolledOut?.Invoke(target.Workload);
        }

        return outcome;
    }
}
