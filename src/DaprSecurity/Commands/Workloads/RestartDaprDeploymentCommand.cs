using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Transformations;

namespace DaprSecurity.Commands.Workloads;

/// <summary>Restarts Dapr workloads the way kubectl rollout restart does, so their sidecars pick up a new token.</summary>
/// <remarks>
/// <para>daprd reads its token secret only when it starts, so after a rotation the pods must be replaced. Restart-DaprDeployment sets the kubectl.kubernetes.io/restartedAt annotation on the pod template, exactly as kubectl rollout restart does, and Kubernetes rolls the pods gradually. Paused Deployments are reported (Status Paused) and not restarted.</para>
/// <para>It accepts workloads (Get-DaprDeployment), namespaces (-Namespace, or Get-DaprNamespace objects: every Dapr-enabled workload in them), or the results of Set-DaprTokenSecret -PassThru: then exactly the Dapr workloads of that namespace whose dapr.io/app-token-secret or dapr.io/api-token-secret names that secret are restarted, and those whose pods already started after the token changed are skipped (Status UpToDate) unless -Force. So running a rotation again after a failure restarts only what is left. Each workload is restarted at most once per command.</para>
/// <para>With -Wait it follows each rollout to completion (as kubectl rollout status does), up to -Timeout per batch, and works one namespace (or one piped secret) at a time: if a rollout fails or times out, it reports the error and restarts nothing more, so a bad token cannot take every namespace down. Without -Wait, the restarts of a batch run in parallel (-ThrottleLimit).</para>
/// </remarks>
/// <example>
/// <code>New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-* -PassThru | Restart-DaprDeployment -Wait</code>
/// <para>Rotates the app token in every prod namespace and restarts exactly the workloads that use it, namespace by namespace.</para>
/// </example>
/// <example>
/// <code>Restart-DaprDeployment -Namespace orders -Wait -Timeout 600</code>
/// <para>Restarts every Dapr-enabled workload in orders and waits up to ten minutes for each rollout.</para>
/// </example>
/// <example>
/// <code>Get-DaprDeployment -Namespace prod-* -Name checkout | Restart-DaprDeployment -WhatIf</code>
/// <para>Shows which checkout workloads would be restarted.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Restart, "DaprDeployment", SupportsShouldProcess = true, DefaultParameterSetName = ByWorkloadSet)]
[OutputType(typeof(DaprRestartResult))]
public sealed class RestartDaprDeploymentCommand : DaprClusterCmdlet
{
    private const string ByWorkloadSet = "ByWorkload";
    private const string BySecretSet = "BySecret";
    private const string ByNamespaceSet = "ByNamespace";

    private readonly Dictionary<TargetCluster, IWorkloadRestarter> _restarters = new();

    /// <summary>Workloads from Get-DaprDeployment.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByWorkloadSet)]
    public DaprWorkloadInfo[] InputObject { get; set; } = Array.Empty<DaprWorkloadInfo>();

    /// <summary>Results of Set-DaprTokenSecret -PassThru: restarts the workloads of each namespace that use that secret.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BySecretSet)]
    public DaprTokenSecretResult[] TokenSecret { get; set; } = Array.Empty<DaprTokenSecretResult>();

    /// <summary>Namespaces whose Dapr-enabled workloads to restart; wildcards allowed. Also taken from the pipeline (strings, Namespace properties, metadata.name).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string[] Namespace { get; set; } = Array.Empty<string>();

    /// <summary>Only the workloads with these names in the namespaces; wildcards allowed. A name without wildcards that matches no Dapr workload is an error. Default: every Dapr-enabled workload of the namespaces.</summary>
    [Parameter(Position = 1, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(WorkloadNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Waits for each rollout to complete, one namespace (or piped secret) at a time, and stops at the first that fails or times out.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how many seconds one rollout may take before it counts as stuck (default 300), like Wait-Job -Timeout.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <summary>With token-secret input, also restarts workloads whose pods already started after the token changed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How many workloads of a batch are restarted at the same time. Default: 8.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    private protected override void Process()
    {
        // One cluster after the other: with -Wait a failed rollout stops the command before the next cluster.
        switch (ParameterSetName)
        {
            case BySecretSet:
                foreach (var secret in TokenSecret)
                {
                    RunInClusters(Clusters(secret), c => c, c => RestarterIn(c).RestartConsumers(secret), inParallel: false);
                }

                break;
            case ByNamespaceSet:
                RunInClusters(Clusters(), c => c, RestartNamespaces, inParallel: false);
                break;
            default:
                foreach (var workload in InputObject)
                {
                    RunInClusters(Clusters(workload), c => c, c => RestarterIn(c).RestartWorkload(new WorkloadReference(workload.Namespace, workload.Kind, workload.Name)), inParallel: false);
                }

                break;
        }
    }

    private protected override void End()
    {
        foreach (var restarter in _restarters.Values)
        {
            restarter.Complete();
        }
    }

    /// <summary>The restarter of one cluster, made on first use; it remembers what it restarted there.</summary>
    private IWorkloadRestarter RestarterIn(TargetCluster cluster)
    {
        if (!_restarters.TryGetValue(cluster, out var restarter))
        {
            restarter = Engine<IWorkloadService>().CreateRestarter(cluster.Connection, new RestartOptions(Wait, TimeSpan.FromSeconds(Timeout), Force, ThrottleLimit), EngineHost);
            _restarters[cluster] = restarter;
        }

        return restarter;
    }

    private IEnumerable<DaprRestartResult> RestartNamespaces(TargetCluster cluster)
    {
        if (Name is null)
        {
            return RestarterIn(cluster).RestartNamespaces(Namespace);
        }

        var workloads = Engine<IWorkloadService>().GetWorkloads(cluster.Connection, new WorkloadSelection(Array.Empty<WorkloadReference>(), Namespace, Name), EngineHost).ToList();
        return workloads.SelectMany(w => RestarterIn(cluster).RestartWorkload(new WorkloadReference(w.Namespace, w.Kind, w.Name)));
    }
}
