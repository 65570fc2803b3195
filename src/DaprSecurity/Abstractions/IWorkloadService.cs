using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>One workload named by the user or piped from Get-DaprDeployment.</summary>
public sealed record WorkloadReference(string Namespace, DaprWorkloadKind Kind, string Name);

/// <summary>
/// Which workloads to act on: <paramref name="Workloads"/> named one by one, and/or every Dapr-enabled workload in the
/// namespaces <paramref name="Namespaces"/> selects whose name matches <paramref name="Names"/> (null: all).
/// </summary>
public sealed record WorkloadSelection(IReadOnlyList<WorkloadReference> Workloads, IReadOnlyList<string> Namespaces, IReadOnlyList<string>? Names);

/// <summary>
/// Sidecar settings to put on pod templates. For the three strings null leaves the annotation alone and "" removes it;
/// <paramref name="MountTokenInApp"/> also gives app containers the token env vars from the secrets (secretKeyRef);
/// <paramref name="Force"/> skips the check that the named secrets exist.
/// </summary>
public sealed record SidecarAnnotationRequest(
    WorkloadSelection Selection,
    string? AppTokenSecret,
    string? ApiTokenSecret,
    string? ListenAddresses,
    bool? EnableApiLogging,
    bool MountTokenInApp,
    bool Force);

/// <summary>How Restart-DaprDeployment works: follow each rollout (<paramref name="Wait"/>, up to <paramref name="Timeout"/>) in waves
/// of namespaces (<paramref name="Canary"/> first, then <paramref name="Waves"/>, null for the defaults), restart workloads whose pods
/// already hold the token (<paramref name="Force"/>), and how many restarts run at once (<paramref name="ThrottleLimit"/>).</summary>
public sealed record RestartOptions(bool Wait, TimeSpan Timeout, bool Force, int ThrottleLimit, IReadOnlyList<string>? Canary = null, IReadOnlyList<string>? Waves = null)
{
    /// <summary>
    /// Restarts (and, with Wait, rollouts followed) at the same time, unless -ThrottleLimit says otherwise; chosen from
    /// measurement (README, Benchmarks): see Restart-DaprDeployment's -ThrottleLimit help.
    /// </summary>
    public const int DefaultThrottleLimit = 16;

    /// <summary>What a -Wave size looks like: a number of namespaces (5) or a share of all of them (25%).</summary>
    public const string WaveSizePattern = @"^([1-9][0-9]{0,5}|([1-9][0-9]?|100)%)$";
}

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
}

/// <summary>Namespaces and Dapr workloads: list, annotate, restart.</summary>
public interface IWorkloadService
{
    IAsyncEnumerable<DaprNamespaceInfo> GetNamespacesAsync(IClusterConnection cluster, IReadOnlyList<string> names, IEngineHost host, CancellationToken cancellationToken);

    IAsyncEnumerable<DaprWorkloadInfo> GetWorkloadsAsync(IClusterConnection cluster, WorkloadSelection selection, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Changes the sidecar annotations (which rolls the pods of every workload it changes); streams the workloads as they are now.</summary>
    IAsyncEnumerable<DaprWorkloadInfo> SetSidecarAnnotationsAsync(IClusterConnection cluster, SidecarAnnotationRequest request, IEngineHost host, CancellationToken cancellationToken);

    IWorkloadRestarter CreateRestarter(IClusterConnection cluster, RestartOptions options, IEngineHost host);
}
