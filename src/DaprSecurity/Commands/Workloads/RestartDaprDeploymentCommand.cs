using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Workloads;

/// <summary>Restarts Dapr workloads the way kubectl rollout restart does, so their sidecars pick up a new token.</summary>
/// <remarks>
/// <para>daprd reads its token secret only when it starts, so after a rotation the pods must be replaced. Restart-DaprDeployment sets the kubectl.kubernetes.io/restartedAt annotation on the pod template, exactly as kubectl rollout restart does, and Kubernetes rolls the pods gradually. Paused Deployments are reported (Status Paused) and not restarted.</para>
/// <para>It accepts workloads (Get-DaprDeployment), namespaces (-Namespace, or Get-DaprNamespace objects: every Dapr-enabled workload in them), or the results of Set-DaprTokenSecret -PassThru: then exactly the Dapr workloads of that namespace whose dapr.io/app-token-secret or dapr.io/api-token-secret names that secret are restarted, and those whose pods already started after the token changed are skipped (Status UpToDate) unless -Force. So running a rotation again after a failure restarts only what is left. Each workload is restarted at most once per command.</para>
/// <para>Every restart writes a new restartedAt value (to the tick, so two restarts in the same second both roll the pods) and the fingerprints of the tokens the new pods start with, and is confirmed by the API server's answer (a new generation); a restart the server did not apply is the error RestartNotApplied, never a success.</para>
/// <para>With -Wait it works as progressive delivery over namespaces: a canary (the first namespace, or those -Canary names) alone, then waves of growing size (-Wave, default 1, 5%, 25%, then the rest). Each wave's restarts run in parallel (-ThrottleLimit) and are followed with one watch per kind and namespace (resumed from its last resourceVersion when it drops, and re-listed once after 410 Gone) until the controller has observed the new generation and every replica is updated and available (Status RolledOut); only then does the next wave start. The first restart or rollout that fails or does not finish within -Timeout stops every later wave (Status Skipped), and a warning says what was not done and how to finish; running the same command again finishes only the rest. Without -Wait, restarts start as each input arrives and run concurrently across namespaces, up to -ThrottleLimit.</para>
/// <para>With several contexts (-Context prod-*, or piped objects from several clusters) it works one cluster after the other, and with -Wait the first cluster whose waves stop is the last one touched: the workloads of every later cluster are not restarted (Status Skipped), and a warning names the contexts not touched and the command that finishes each.</para>
/// <para>With -Wait every -Confirm question (one per workload, in every context) is asked before the first restart, while the waves are planned: a No leaves that workload out of the plan, so no wave and no cluster ever stops half-done waiting for an answer. Without -Wait each question comes as its input arrives, just before that restart.</para>
/// </remarks>
/// <example>
/// <code>New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-* -PassThru | Restart-DaprDeployment -Wait</code>
/// <para>Rotates the app token in every prod namespace and restarts exactly the workloads that use it: one namespace as a canary, then growing waves, each only after the previous one rolled out.</para>
/// </example>
/// <example>
/// <code>Restart-DaprDeployment -Namespace shop -Wait -Timeout 600</code>
/// <para>Restarts every Dapr-enabled workload in namespace shop and waits up to ten minutes for each rollout.</para>
/// </example>
/// <example>
/// <code>New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-* -PassThru | Restart-DaprDeployment -Wait -Canary prod-eu -Wave 10%, 50%</code>
/// <para>Rolls prod-eu first, then 10% of the namespaces, then half of them, then the rest, each wave only after the previous one rolled out.</para>
/// </example>
/// <example>
/// <code>Get-DaprDeployment -Namespace prod-* -Name order-api | Restart-DaprDeployment -WhatIf</code>
/// <para>Shows which order-api workloads of the prod namespaces would be restarted.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Restart, "DaprDeployment", HelpUri = HelpLinks.Workloads, SupportsShouldProcess = true, DefaultParameterSetName = ByWorkloadSet)]
[OutputType(typeof(DaprRestartResult))]
[RestartsInWaves]
public sealed class RestartDaprDeploymentCommand : DaprClusterCmdlet
{
    private const string ByWorkloadSet = "ByWorkload";
    private const string BySecretSet = "BySecret";
    private const string ByNamespaceSet = "ByNamespace";

    private readonly Dictionary<TargetCluster, IWorkloadRestarter> _restarters = new();

    /// <summary>Workloads from Get-DaprDeployment, or Deployment, StatefulSet and DaemonSet items of kubectl get -o json | ConvertFrom-Json.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByWorkloadSet)]
    [KubeObjectTransformation(typeof(DaprWorkloadInfo))]
    public DaprWorkloadInfo[] InputObject { get; set; } = Array.Empty<DaprWorkloadInfo>();

    /// <summary>Results of Set-DaprTokenSecret -PassThru: restarts the workloads of each namespace that use that secret.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BySecretSet)]
    public DaprTokenSecretResult[] TokenSecret { get; set; } = Array.Empty<DaprTokenSecretResult>();

    /// <summary>Namespaces whose Dapr-enabled workloads to restart; wildcards allowed. Also taken from the pipeline (strings, 'namespace/shop' from kubectl get -o name, Namespace properties, Namespace items of kubectl get -o json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation(Takes = new[] { "Workload" })]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Namespace { get; set; } = Array.Empty<string>();

    /// <summary>Only the workloads with these names in the namespaces; wildcards allowed. A name or wildcard that matches no Dapr workload is the error WorkloadNotFound. Default: every Dapr-enabled workload of the namespaces.</summary>
    [Parameter(Position = 1, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorkloadNameCompleter))]
    [DaprInput(DaprInputKind.ObjectName, Wildcards = true)]
    [KubeNameTransformation("Workload")]
    public string[]? Name { get; set; }

    /// <summary>Only the workloads of these kinds in the namespaces. With -Name, a name that only workloads of other kinds have is the error WorkloadNotFound. Default: every kind. The command a stopped -Wait run prints to finish uses it, so a Deployment and a StatefulSet of one name in one namespace are told apart.</summary>
    [Parameter(ParameterSetName = ByNamespaceSet)]
    public DaprWorkloadKind[]? Kind { get; set; }

    /// <summary>Restarts in waves of namespaces (a canary, then -Wave), waits for every rollout of a wave before the next, and stops at the first rollout that fails or times out.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how many seconds one rollout may take before it counts as stuck and stops the later waves (default 300), like Wait-Job -Timeout.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <summary>With token-secret input, also restarts workloads whose pods already started after the token changed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override void Begin()
    {
        base.Begin();
        if (!Wait && (Waves.Canary is not null || Waves.Wave is not null))
        {
            WriteWarning("-Canary and -Wave take effect only with -Wait; without it every restart starts at once.");
        }
    }

    private protected override void Process()
    {
        // One cluster after the other (with -Wait this only plans; End runs the waves and stops at the first cluster that goes wrong).
        switch (ParameterSetName)
        {
            case BySecretSet:
                foreach (var secret in TokenSecret)
                {
                    RunInClusters(Clusters(secret), c => c, c => RestarterIn(c).RestartConsumersAsync(secret, EngineHost.CancellationToken), inParallel: false);
                }

                break;
            case ByNamespaceSet:
                RunInClusters(Clusters(), c => c, RestartNamespaces, inParallel: false);
                break;
            default:
                foreach (var workload in InputObject)
                {
                    RunInClusters(Clusters(workload), c => c, c => RestarterIn(c).RestartWorkloadAsync(new WorkloadReference(workload.Namespace, workload.Kind, workload.Name), EngineHost.CancellationToken), inParallel: false);
                }

                break;
        }
    }

    /// <summary>
    /// Finishes each cluster's restarts (pipelined restarts and waves still in flight), one cluster after the other; with
    /// -Wait a cluster whose waves stopped leaves the later clusters untouched (their workloads Skipped), and says how to finish.
    /// </summary>
    private protected override void End()
    {
        var clusters = _restarters.Keys.ToList();
        if (!Wait)
        {
            RunInClusters(clusters, c => c, c => _restarters[c].CompleteAsync(EngineHost.CancellationToken), inParallel: false);
            return;
        }

        var skipped = new Dictionary<TargetCluster, IReadOnlyList<DaprRestartResult>>();
        var stop = RunInClustersUntilOneGoesWrong(
            clusters,
            c => _restarters[c].CompleteAsync(EngineHost.CancellationToken),
            c => _restarters[c].StoppedBy is not null,
            (c, stoppedIn) => skipped[c] = _restarters[c].SkipPlanned($"not restarted: a rollout in context {stoppedIn.Context} went wrong"));
        if (stop.NotStarted.Count > 0)
        {
            var resume = ParameterSetName == BySecretSet
                ? "Fix the cause and run the same command again: workloads whose pods already hold the new token are UpToDate and are not restarted again."
                : "Fix the cause, then finish with: " + string.Join("; ", stop.NotStarted.Where(c => skipped[c].Count > 0).Select(c =>
                    RestartResumeCommand.For(ClusterStop.Selecting(c), skipped[c].Select(r => new WorkloadReference(r.Namespace, r.Kind, r.Name)), SelectsWorkloads ? Array.Empty<string>() : skipped[c].Select(r => r.Namespace).ToList())));
            WriteWarning($"Stopped after a rollout in context '{stop.StoppedIn!.Context}' went wrong; contexts not touched: {stop.NotStartedNames}. {resume}");
        }
    }

    /// <summary>The restarter of one cluster, made on first use; it remembers what it restarted there.</summary>
    private IWorkloadRestarter RestarterIn(TargetCluster cluster)
    {
        if (!_restarters.TryGetValue(cluster, out var restarter))
        {
            restarter = Engine<IWorkloadService>().CreateRestarter(cluster.Connection, new RestartOptions(Wait, TimeSpan.FromSeconds(Timeout), Force, Waves.ThrottleLimit, Waves.Canary, Waves.Wave), EngineHost);
            _restarters[cluster] = restarter;
        }

        return restarter;
    }

    /// <summary>Whether the command selects workloads (piped, -Name, -Kind) rather than every Dapr workload of its namespaces.</summary>
    private bool SelectsWorkloads => ParameterSetName == ByWorkloadSet || Name is not null || Kind is not null;

    /// <summary>Called on the pipeline thread (the restarter and the engine are fetched here); the stream runs under the host.</summary>
    private IAsyncEnumerable<DaprRestartResult> RestartNamespaces(TargetCluster cluster)
    {
        var restarter = RestarterIn(cluster);
        if (!SelectsWorkloads)
        {
            return restarter.RestartNamespacesAsync(Namespace, EngineHost.CancellationToken);
        }

        return RestartEach(restarter, Engine<IWorkloadService>().GetWorkloadsAsync(cluster.Connection, new WorkloadSelection(Array.Empty<WorkloadReference>(), Namespace, Name, Kind), EngineHost, EngineHost.CancellationToken));
    }

    /// <summary>Restarts each workload <paramref name="workloads"/> streams, as it arrives.</summary>
    private async IAsyncEnumerable<DaprRestartResult> RestartEach(IWorkloadRestarter restarter, IAsyncEnumerable<DaprWorkloadInfo> workloads)
    {
        await foreach (var w in workloads.ConfigureAwait(false))
        {
            await foreach (var result in restarter.RestartWorkloadAsync(new WorkloadReference(w.Namespace, w.Kind, w.Name), EngineHost.CancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }
}
