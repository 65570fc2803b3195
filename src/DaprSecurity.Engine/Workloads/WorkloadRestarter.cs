using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// The restarts of one Restart-DaprDeployment invocation. It lists namespaces, Dapr workloads and Dapr pods once, on
/// first need, however many objects are piped in; restarts each workload at most once; and with Wait follows every
/// rollout of a batch (one namespace, or one token secret) before the next batch, stopping at the first rollout that
/// fails or times out so a bad token cannot take every namespace down.
/// </summary>
public sealed class WorkloadRestarter : IWorkloadRestarter
{
    private readonly ClusterConnection _cluster;
    private readonly RestartOptions _options;
    private readonly IEngineHost _host;
    private readonly WorkloadCatalog _catalog;
    private readonly RolloutRestarter _restarter;
    private readonly ProgressReporter _progress;
    private readonly HashSet<string> _restarted = new(StringComparer.Ordinal);
    private readonly List<string> _skipped = new();
    private readonly NamespaceSelector _namespaces;
    private readonly NamespacedLookup<Workload> _workloads;
    private readonly NamespacedLookup<V1Pod> _pods;
    private string? _stoppedBy;

    public WorkloadRestarter(ClusterConnection cluster, RestartOptions options, IEngineHost host)
    {
        _cluster = cluster;
        _options = options;
        _host = host;
        _catalog = new WorkloadCatalog(cluster);
        _restarter = new RolloutRestarter(cluster);
        _progress = new ProgressReporter(host, options.Wait ? "Restarting Dapr workloads and waiting for their rollouts" : "Restarting Dapr workloads", 0);
        _namespaces = new NamespaceSelector(cluster);
        _workloads = new(ns => _catalog.ListAsync(ns, daprEnabledOnly: true, host.CancellationToken).GetAwaiter().GetResult(), w => w.Namespace);
        _pods = new(ns => _catalog.ListDaprPodsAsync(ns, host.CancellationToken).GetAwaiter().GetResult(), p => p.Namespace());
    }

    public IEnumerable<DaprRestartResult> RestartWorkload(WorkloadReference workload)
        => Run(new[] { _catalog.GetAsync(workload.Kind, workload.Namespace, workload.Name, _host.CancellationToken).GetAwaiter().GetResult() });

    public IEnumerable<DaprRestartResult> RestartNamespaces(IReadOnlyList<string> namespaces)
    {
        var selection = _namespaces.SelectAsync(namespaces, _host.CancellationToken).GetAwaiter().GetResult();
        foreach (var error in selection.Errors)
        {
            _host.WriteError(error);
        }

        var batches = selection.Namespaces.Select(ns => _workloads.In(ns.Name()).ToList()).Where(b => b.Count > 0);
        return (_options.Wait ? batches : new[] { batches.SelectMany(b => b).ToList() }).SelectMany(Run);
    }

    public IEnumerable<DaprRestartResult> RestartConsumers(DaprTokenSecretResult secret)
    {
        var consumers = _workloads.In(secret.Namespace).Where(w => TokenReferences.Uses(w, secret.SecretName)).ToList();
        if (consumers.Count == 0)
        {
            _host.WriteVerbose($"No Dapr workload in {secret.Namespace} uses secret {secret.SecretName}.");
        }

        var stale = new List<Workload>();
        foreach (var workload in consumers)
        {
            if (!_options.Force && secret.UpdatedAt is { } changed && TokenFreshness.IsUpToDate(workload, _pods.In(workload.Namespace), changed))
            {
                _host.WriteVerbose($"{workload.DisplayName} started after secret {secret.SecretName} changed; it already has the token.");
                yield return Result(workload, DaprRestartStatus.UpToDate, $"pods already started after secret {secret.SecretName} changed");
                continue;
            }

            stale.Add(workload);
        }

        foreach (var result in Run(stale))
        {
            yield return result;
        }
    }

    /// <summary>Completes the progress bar and, after a stop, says what was left undone.</summary>
    public void Complete()
    {
        _progress.Complete();
        if (_stoppedBy is not null && _skipped.Count > 0)
        {
            _host.WriteWarning($"Stopped after the rollout of {_stoppedBy} went wrong; not restarted: {string.Join(", ", _skipped)}. "
                + "Fix the cause and run the same command again: workloads already running the new token are skipped.");
        }
    }

    /// <summary>Restarts one batch: asks about each workload on this (the pipeline) thread, then restarts (and waits) in parallel.</summary>
    private IEnumerable<DaprRestartResult> Run(IReadOnlyList<Workload> batch)
    {
        var approved = new List<Workload>();
        foreach (var workload in batch)
        {
            if (!_restarted.Add(workload.DisplayName))
            {
                _host.WriteVerbose($"{workload.DisplayName} was already restarted by this command.");
            }
            else if (_stoppedBy is not null)
            {
                _skipped.Add(workload.DisplayName);
                yield return Result(workload, DaprRestartStatus.Skipped, $"not restarted: the rollout of {_stoppedBy} went wrong");
            }
            else if (workload.Paused)
            {
                _host.WriteWarning($"{workload.DisplayName} is paused, so it was not restarted; resume it (kubectl rollout resume) and restart it.");
                yield return Result(workload, DaprRestartStatus.Paused, "paused; not restarted");
            }
            else if (_host.ShouldProcess(workload.DisplayName, _options.Wait ? "Restart (rollout restart) and wait for the rollout" : "Restart (rollout restart)"))
            {
                approved.Add(workload);
            }
        }

        _progress.Expect(approved.Count);
        var attempts = BoundedParallel.Stream(approved, _options.ThrottleLimit, (w, ct) => Attempt<Workload, DaprRestartResult>.RunAsync(w, () => RestartAsync(w, ct)), _host.CancellationToken);
        foreach (var attempt in attempts)
        {
            _progress.Advance(attempt.Item.DisplayName);
            if (attempt.Error is not null)
            {
                _host.WriteError(attempt.Error);
                continue;
            }

            var result = attempt.Result!;
            if (result.Status is DaprRestartStatus.Failed or DaprRestartStatus.TimedOut)
            {
                _stoppedBy ??= attempt.Item.DisplayName;
                _host.WriteError((result.Status == DaprRestartStatus.Failed ? DaprErrors.RolloutFailed : DaprErrors.RolloutTimedOut).Raise(
                    $"The rollout of {attempt.Item.DisplayName} {(result.Status == DaprRestartStatus.Failed ? "failed" : "did not finish")}: {result.Message}. Later namespaces are not restarted.",
                    attempt.Item.DisplayName));
            }

            yield return result;
        }
    }

    private async Task<DaprRestartResult> RestartAsync(Workload workload, CancellationToken cancellationToken)
    {
        var restarted = await _restarter.RestartAsync(workload, cancellationToken).ConfigureAwait(false);
        if (!_options.Wait)
        {
            return Result(restarted, DaprRestartStatus.Restarted, "restarted; its pods are being replaced");
        }

        var rollout = await _restarter.WaitAsync(restarted, _options.Timeout, cancellationToken).ConfigureAwait(false);
        var status = rollout.Status switch
        {
            RolloutStatus.Complete => DaprRestartStatus.RolledOut,
            RolloutStatus.Failed => DaprRestartStatus.Failed,
            _ => DaprRestartStatus.TimedOut,
        };
        return Result(rollout.Workload, status, rollout.Message);
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
