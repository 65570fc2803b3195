using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// Restarts for one Restart-DaprDeployment invocation; it remembers what it restarted so nothing rolls twice. Call it for
/// one input at a time: each call streams what has finished so far, while restarts it started keep running.
/// </summary>
public interface IWorkloadRestarter
{
    IAsyncEnumerable<DaprRestartResult> RestartWorkloadAsync(WorkloadReference workload, CancellationToken cancellationToken);

    /// <summary>Every Dapr-enabled workload of the selected namespaces.</summary>
    IAsyncEnumerable<DaprRestartResult> RestartNamespacesAsync(IReadOnlyList<string> namespaces, CancellationToken cancellationToken);

    /// <summary>The Dapr-enabled workloads of the secret's namespace whose annotations name the secret and whose pods predate its token.</summary>
    IAsyncEnumerable<DaprRestartResult> RestartConsumersAsync(DaprTokenSecretResult secret, CancellationToken cancellationToken);

    /// <summary>
    /// Call once, after the last input: finishes the restarts still running (with Wait: runs the waves), ends the progress
    /// display and reports what a stopped run left undone.
    /// </summary>
    IAsyncEnumerable<DaprRestartResult> CompleteAsync(CancellationToken cancellationToken);

    /// <summary>With Wait, after <see cref="CompleteAsync"/>: the workload whose restart or rollout went wrong first and stopped the waves; null while all went well.</summary>
    string? StoppedBy { get; }

    /// <summary>With Wait, instead of <see cref="CompleteAsync"/>: restarts nothing and reports every planned workload as Skipped, with <paramref name="reason"/>.</summary>
    IReadOnlyList<DaprRestartResult> SkipPlanned(string reason);
}
