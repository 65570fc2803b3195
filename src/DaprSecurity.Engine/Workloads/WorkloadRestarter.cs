using System.Runtime.CompilerServices;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using DaprSecurity.Text;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// The restarts of one Restart-DaprDeployment invocation. It lists namespaces, Dapr workloads and Dapr pods once, on
/// first need, however many objects are piped in, and restarts each workload at most once, writing the fingerprints of
/// the tokens the new pods start with into the pod template.
/// <para>Without Wait, restarts start as each input arrives and run concurrently (up to the throttle limit) across
/// inputs; results stream back as they finish. With Wait, the inputs are collected and restarted in waves of namespaces
/// (<see cref="RolloutWaves"/>, run by <see cref="WaveRollout"/>): each wave's rollouts run in parallel and are followed
/// to completion before the next wave starts, and the first restart or rollout that goes wrong stops every later wave.</para>
/// </summary>
public sealed class WorkloadRestarter : IWorkloadRestarter
{
    private readonly ClusterConnection _cluster;
    private readonly RestartOptions _options;
    private readonly IEngineHost _host;
    private readonly WorkloadCatalog _catalog;
    private readonly RolloutRestarter _restarter;
    private readonly ProgressReporter _progress;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<RolloutTarget> _planned = new();
    private readonly List<Task<Attempt<RolloutTarget, DaprRestartResult>>> _running = new();
    private readonly List<Workload> _notDone = new();
    private readonly HashSet<string> _upToDate = new(StringComparer.Ordinal);
    private readonly NamespaceSelector _namespaces;
    private readonly NamespacedLookup<Workload> _workloads;
    private readonly NamespacedLookup<V1Pod> _pods;
    private readonly WaveRollout _waves;
    private bool _fromSecrets;
    private bool _byName; // workloads were named (-Name, piped workloads), not whole namespaces: a resume names them too

    public WorkloadRestarter(ClusterConnection cluster, RestartOptions options, IEngineHost host)
    {
        _cluster = cluster;
        _options = options;
        _host = host;
        _catalog = new WorkloadCatalog(cluster);
        _restarter = new RolloutRestarter(cluster, host.Clock);
        _waves = new WaveRollout(cluster, host.Clock, options.ThrottleLimit, options.Timeout);
        _progress = new ProgressReporter(host, options.Wait ? "Restarting Dapr workloads in waves and waiting for their rollouts" : "Restarting Dapr workloads", 0);
        _namespaces = new NamespaceSelector(cluster);
        _workloads = new((ns, ct) => _catalog.ListAsync(ns, daprEnabledOnly: true, ct), w => w.Namespace);
        _pods = new((ns, ct) => _catalog.ListDaprPodsAsync(ns, ct), p => p.Namespace());
    }

    public async IAsyncEnumerable<DaprRestartResult> RestartWorkloadAsync(WorkloadReference workload, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _byName = true;
        var read = await _catalog.GetAsync(workload.Kind, workload.Namespace, workload.Name, cancellationToken).ConfigureAwait(false);
        await foreach (var result in AcceptAsync(await WithCurrentFingerprintsAsync(new[] { read }, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    public async IAsyncEnumerable<DaprRestartResult> RestartNamespacesAsync(IReadOnlyList<string> namespaces, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var workloads = new List<Workload>();
        foreach (var ns in await _namespaces.SelectAsync(namespaces, _host, cancellationToken).ConfigureAwait(false))
        {
            workloads.AddRange(await _workloads.InAsync(ns.Name(), cancellationToken).ConfigureAwait(false));
        }

        await foreach (var result in AcceptAsync(await WithCurrentFingerprintsAsync(workloads, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    public async IAsyncEnumerable<DaprRestartResult> RestartConsumersAsync(DaprTokenSecretResult secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _fromSecrets = true;
        var consumers = (await _workloads.InAsync(secret.Namespace, cancellationToken).ConfigureAwait(false)).Where(w => TokenReferences.Uses(w, secret.SecretName)).ToList();
        var pods = consumers.Count == 0 ? Array.Empty<V1Pod>() : await _pods.InAsync(secret.Namespace, cancellationToken).ConfigureAwait(false);
        if (consumers.Count == 0 && secret.Action != DaprTokenSecretAction.Removed)
        {
            // A token written where no workload reads it protects nothing: say so, with the command that wires it up.
            var parameter = secret.Kind == DaprTokenKind.App ? "-AppTokenSecret" : "-ApiTokenSecret";
            _host.WriteWarning($"No Dapr workload in {secret.Namespace} (context '{UntrustedText.Sanitize(_cluster.ContextName)}') uses secret {secret.SecretName}, so none was restarted there. To make its apps use it: Set-DaprSidecarAnnotation -Namespace {secret.Namespace} {parameter} {secret.SecretName}");
        }
        else if (consumers.Count == 0)
        {
            _host.WriteVerbose($"No Dapr workload in {secret.Namespace} uses secret {secret.SecretName}.");
        }

        var fingerprint = secret.Action == DaprTokenSecretAction.Removed || secret.Fingerprint.Length == 0 ? null : secret.Fingerprint;
        var targets = new List<RolloutTarget>();
        foreach (var workload in consumers)
        {
            var kinds = TokenReferences.Of(workload).Where(r => r.Secret == secret.SecretName).Select(r => r.Kind).ToList();
            var stale = kinds.Select(k => TokenFreshness.IsStale(workload, pods, k, fingerprint, secret.UpdatedAt)).ToList();
            if (!_options.Force && stale.All(s => s == false))
            {
                _host.WriteVerbose($"{workload.DisplayName}: every pod already holds the token of secret {secret.SecretName} ({fingerprint}).");
                _upToDate.Add(workload.Namespace);
                yield return Result(workload, DaprRestartStatus.UpToDate, $"pods already hold the token of secret {secret.SecretName}");
                continue;
            }

            if (stale.Any(s => s is null))
            {
                _host.WriteVerbose($"{workload.DisplayName}: cannot tell whether its pods hold the token of secret {secret.SecretName}; restarting it to be sure.");
            }

            targets.Add(new RolloutTarget(workload, fingerprint is null ? null : kinds.ToDictionary(TokenFreshness.FingerprintAnnotation, _ => fingerprint)));
        }

        await foreach (var result in AcceptAsync(targets, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Without Wait, the restarts still running; with Wait, the waves. Then the progress bar ends, and after a stop a warning says what is left.</summary>
    public async IAsyncEnumerable<DaprRestartResult> CompleteAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = _options.Wait ? RunWavesAsync(cancellationToken) : DrainAsync(untilRunningBelow: 1, cancellationToken);
        await foreach (var result in results.ConfigureAwait(false))
        {
            yield return result;
        }

        _progress.Complete();
        if (_waves.StoppedBy is { } stoppedBy && _notDone.Count > 0)
        {
            var resume = _fromSecrets
                ? "Fix the cause and run the same command again: workloads whose pods already hold the new token are UpToDate and are not restarted again."
                : "Fix the cause, then finish with: " + RestartResumeCommand.For($"-Context '{_cluster.ContextName.Replace("'", "''", StringComparison.Ordinal)}'", _notDone.Select(w => new WorkloadReference(w.Namespace, w.Kind, w.Name)), WholeNamespacesLeft());
            _host.WriteWarning($"Stopped after the rollout of {stoppedBy} went wrong; not restarted: {string.Join(", ", _notDone.Select(w => w.DisplayName))}. {resume}");
        }
    }

    public string? StoppedBy => _waves.StoppedBy;

    /// <summary>For the resume command: the namespaces restarted whole none of whose planned workloads was done (none when workloads were named).</summary>
    private IReadOnlyCollection<string> WholeNamespacesLeft()
    {
        var left = _notDone.Select(w => w.DisplayName).ToHashSet(StringComparer.Ordinal);
        return _byName
            ? Array.Empty<string>()
            : _planned.GroupBy(t => t.Workload.Namespace, StringComparer.Ordinal).Where(g => g.All(t => left.Contains(t.Workload.DisplayName))).Select(g => g.Key).ToList();
    }

    public IReadOnlyList<DaprRestartResult> SkipPlanned(string reason)
    {
        _progress.Complete();
        return _planned.Select(t => Result(t.Workload, DaprRestartStatus.Skipped, reason)).ToList();
    }

    /// <summary>Asks about each workload (the host answers on the pipeline thread); approved ones are started (no Wait) or planned (Wait).</summary>
    private async IAsyncEnumerable<DaprRestartResult> AcceptAsync(IEnumerable<RolloutTarget> targets, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            var workload = target.Workload;
            if (!_seen.Add(workload.DisplayName))
            {
                _host.WriteVerbose($"{workload.DisplayName} was already restarted by this command.");
            }
            else if (workload.Paused)
            {
                _host.WriteWarning($"{workload.DisplayName} is paused, so it was not restarted; resume it (kubectl rollout resume) and restart it.");
                yield return Result(workload, DaprRestartStatus.Paused, "paused; not restarted");
            }
            else if (_host.ShouldProcess(workload.DisplayName, _options.Wait ? "Restart (rollout restart) and wait for the rollout" : "Restart (rollout restart)"))
            {
                _progress.Expect(1);
                if (_options.Wait)
                {
                    _planned.Add(target);
                    continue;
                }

                // Wait for a free slot, handing back what finished meanwhile, then start this one.
                await foreach (var result in DrainAsync(untilRunningBelow: _options.ThrottleLimit, cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }

                _running.Add(Attempt<RolloutTarget, DaprRestartResult>.RunAsync(target, () => RestartAsync(target, cancellationToken)));
            }
        }

        await foreach (var result in DrainAsync(untilRunningBelow: int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Hands back every finished restart, waiting until fewer than <paramref name="untilRunningBelow"/> are still running.</summary>
    private async IAsyncEnumerable<DaprRestartResult> DrainAsync(int untilRunningBelow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var finished in _running.Where(t => t.IsCompleted).ToList())
            {
                _running.Remove(finished);
                if (Report(await finished.ConfigureAwait(false)) is { } result)
                {
                    yield return result;
                }
            }

            if (_running.Count < untilRunningBelow)
            {
                yield break;
            }

            await Task.WhenAny(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The planned restarts, wave by wave (<see cref="WaveRollout"/>); after a restart or rollout went wrong the rest are Skipped.</summary>
    private async IAsyncEnumerable<DaprRestartResult> RunWavesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var order = _planned.Select(t => t.Workload.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var waves = RolloutWaves.Split(order, _options.Canary, _options.Waves, alreadyDone: _upToDate);
        for (var i = 0; i < waves.Count; i++)
        {
            var members = waves[i].ToHashSet(StringComparer.Ordinal);
            var targets = _planned.Where(t => members.Contains(t.Workload.Namespace)).ToList();
            if (_waves.StoppedBy is null)
            {
                _host.WriteVerbose($"Wave {i + 1} of {waves.Count}{(i == 0 ? " (canary)" : "")}: {RolloutWaves.Describe(waves[i])}, {targets.Count} workload(s).");
            }

            await foreach (var outcome in _waves.RunAsync(targets, w => _host.Work.Done(w.DisplayName), cancellationToken).ConfigureAwait(false))
            {
                if (Report(outcome) is { } result)
                {
                    yield return result;
                }
            }
        }
    }

    /// <summary>Counts a finished restart without Wait and writes its error if it has one.</summary>
    private DaprRestartResult? Report(Attempt<RolloutTarget, DaprRestartResult> attempt)
    {
        _progress.Advance(attempt.Item.Workload.DisplayName);
        if (attempt.Error is not null)
        {
            _host.WriteError(attempt.Error);
        }

        return attempt.Result;
    }

    /// <summary>Counts a workload of a wave and writes its error; one that went wrong says that later waves are not restarted.</summary>
    private DaprRestartResult? Report(WaveOutcome outcome)
    {
        var workload = outcome.Target.Workload;
        _progress.Advance(workload.DisplayName);
        if (outcome.Skipped)
        {
            _notDone.Add(workload);
            return Result(workload, DaprRestartStatus.Skipped, $"not restarted: the rollout of {_waves.StoppedBy} went wrong");
        }

        if (outcome.Error is not null)
        {
            _host.WriteError(outcome.Error);
            return null;
        }

        var rollout = outcome.Rollout!;
        var status = rollout.Status switch
        {
            RolloutStatus.Complete => DaprRestartStatus.RolledOut,
            RolloutStatus.Failed => DaprRestartStatus.Failed,
            _ => DaprRestartStatus.TimedOut,
        };
        if (status != DaprRestartStatus.RolledOut)
        {
            var failed = status == DaprRestartStatus.Failed;
            _host.WriteError((failed ? DaprErrors.RolloutFailed : DaprErrors.RolloutTimedOut).Raise(
                $"The rollout of {workload.DisplayName} {(failed ? "failed" : "did not finish")}: {rollout.Message}. Later waves are not restarted.",
                workload.DisplayName));
        }

        return Result(rollout.Workload, status, rollout.Message);
    }

    /// <summary>Without Wait: restarts, and hands back the result without following the rollout.</summary>
    private async Task<DaprRestartResult> RestartAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        var restarted = await _restarter.RestartAsync(target.Workload, target.TemplateAnnotations, cancellationToken).ConfigureAwait(false);
        _host.Work.Done(target.Workload.DisplayName); // here, not where results are read: a stop may come before they are
        return Result(restarted, DaprRestartStatus.Restarted, "restarted; its pods are being replaced");
    }

    /// <summary>The workloads with the fingerprints of the tokens their secrets hold now, which their new pods will start with.</summary>
    private async Task<IReadOnlyList<RolloutTarget>> WithCurrentFingerprintsAsync(IReadOnlyList<Workload> workloads, CancellationToken cancellationToken)
    {
        var names = workloads.SelectMany(w => TokenReferences.Of(w).Select(r => r.Secret)).ToList();
        if (names.Count == 0)
        {
            return workloads.Select(w => new RolloutTarget(w)).ToList();
        }

        var namespaces = workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var secrets = await TokenSecretIndex.LoadAsync(_cluster, names, namespaces, includeManaged: false, cancellationToken).ConfigureAwait(false);
        return workloads.Select(w => new RolloutTarget(w, TokenReferences.Of(w)
                .Select(r => (Key: TokenFreshness.FingerprintAnnotation(r.Kind), Fingerprint: secrets.Find(w.Namespace, r.Secret) is { } s ? TokenSecretMetadata.Fingerprint(s) : null))
                .Where(f => f.Fingerprint is not null)
                .ToDictionary(f => f.Key, f => f.Fingerprint!)))
            .ToList();
    }

    private static DaprRestartResult Result(Workload workload, DaprRestartStatus status, string message) => new()
    {
        Namespace = workload.Namespace,
        Kind = workload.Kind,
        Name = workload.Name,
        Status = status,
        RestartedAt = status is DaprRestartStatus.Restarted or DaprRestartStatus.RolledOut or DaprRestartStatus.Failed or DaprRestartStatus.TimedOut ? workload.RestartedAt : null,
        Message = message,
    };
}
