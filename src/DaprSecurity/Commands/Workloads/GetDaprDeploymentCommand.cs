using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Workloads;

/// <summary>Lists Dapr-enabled Deployments, StatefulSets and DaemonSets with their token settings and whether their pods hold a stale token.</summary>
/// <remarks>
/// <para>Get-DaprDeployment returns every workload whose pod template sets dapr.io/enabled in the namespaces -Namespace selects (default: all), optionally filtered by -Name: its Namespace, Kind, Name, AppId, AppTokenSecret and ApiTokenSecret (the secrets the sidecar reads its tokens from), ListenAddresses, ApiLogging, ready and desired replicas, LastRestart and Paused.</para>
/// <para>TokenStale is True when a token secret the workload uses holds a newer token than some of its pods: daprd reads the secret only when it starts, so those pods still use the previous token until they are restarted (Restart-DaprDeployment). Pods that Restart-DaprDeployment started carry the fingerprint of their token, which decides without clocks. For other pods the creation time is compared with the time of the change (the one Set-DaprTokenSecret records, or the secret's creation time), with one second of tolerance either way; inside it TokenStale is empty (null): it cannot tell. False means every pod holds the current token.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprDeployment -Namespace prod-* | Where-Object TokenStale | Restart-DaprDeployment -Wait</code>
/// <para>Restarts the prod workloads still running with an old token, waiting for each rollout.</para>
/// </example>
/// <example>
/// <code>Get-DaprDeployment | Where-Object { -not $_.ApiTokenSecret }</code>
/// <para>Finds Dapr apps whose sidecar API is not protected by a DAPR_API_TOKEN.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprDeployment", HelpUri = HelpLinks.Workloads, DefaultParameterSetName = PipedSet)]
[OutputType(typeof(DaprWorkloadInfo))]
public sealed class GetDaprDeploymentCommand : DaprNamespaceReaderCmdlet
{
    /// <summary>Workload names; wildcards allowed. Default: all. A name without wildcards that matches no Dapr workload is the error WorkloadNotFound, and so is a wildcard that matches none.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorkloadNameCompleter))]
    [DaprInput(DaprInputKind.ObjectName, Wildcards = true)]
    [KubeNameTransformation("Workload")]
    public string[]? Name { get; set; }

    /// <summary>Workloads to read again: this cmdlet's output, or Deployment, StatefulSet and DaemonSet items of kubectl get -o json | ConvertFrom-Json, each selecting itself (its namespace, kind and name) instead of its namespace. With -Namespace or -Name on the command line, a piped workload they do not select is the error NamespaceConflict or NameConflict, and is not read.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = PipedSet)]
    [KubeObjectTransformation(typeof(DaprWorkloadInfo), RefusesOtherKinds = true)]
    public DaprWorkloadInfo[] InputObject { get; set; } = Array.Empty<DaprWorkloadInfo>();

    private readonly PipedObjects<DaprWorkloadInfo> _piped = new(w => (w.Namespace, $"{w.Kind} {w.Name}"));

    private protected override bool CollectPiped(TargetCluster cluster)
    {
        _piped.Add(cluster, SelectedByCommandLine(InputObject, w => (w.Namespace, w.Name), Name));
        return InputObject.Length > 0;
    }

    private protected override IAsyncEnumerable<object> Read(TargetCluster cluster, IReadOnlyList<string> namespaces)
    {
        var piped = _piped.In(cluster).Select(w => new WorkloadReference(w.Namespace, w.Kind, w.Name)).ToList();
        return Engine<IWorkloadService>().GetWorkloadsAsync(cluster.Connection, new WorkloadSelection(piped, namespaces, Name), EngineHost, EngineHost.CancellationToken);
    }
}
