using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Workloads;

/// <summary>Lists namespaces with their Dapr-enabled workloads and token secrets.</summary>
/// <remarks>
/// <para>Get-DaprNamespace (alias Get-Namespace) returns one object per namespace that -Name selects: its Name, its Status (Active or Terminating), the number of Deployments, StatefulSets and DaemonSets with dapr.io/enabled, and whether the default token secrets app-api-token and dapr-api-token exist in it.</para>
/// <para>The objects have a Name property, so they pipe straight into Set-DaprTokenSecret, Get-DaprDeployment, Get-DaprTokenSecret and Restart-DaprDeployment. However many namespaces there are, it makes one namespace list, one workload list per kind and one secret list per secret name.</para>
/// </remarks>
/// <example>
/// <code>Get-Namespace prod-* | Set-DaprTokenSecret -Token (New-DaprAppToken)</code>
/// <para>Stores the token in the app-api-token secret of every prod-* namespace.</para>
/// </example>
/// <example>
/// <code>Get-DaprNamespace | Where-Object { $_.DaprWorkloads -gt 0 -and -not $_.ApiTokenSecret }</code>
/// <para>Finds namespaces that run Dapr apps but have no dapr-api-token secret.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprNamespace", HelpUri = HelpLinks.Workloads)]
[Alias("Get-Namespace")]
[OutputType(typeof(DaprNamespaceInfo))]
[ReadsClustersInParallel]
public sealed class GetDaprNamespaceCommand : DaprClusterCmdlet
{
    private readonly PipelineBatches<TargetCluster, string> _names = new();

    /// <summary>Namespace names; wildcards allowed. Default: all. A name without wildcards that does not exist is an error. Given on the command line with piped objects, it checks them: a piped object in a namespace it does not select is the error NamespaceConflict, and one it selects is read alone.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [NamespaceNameTransformation(ReadsAll = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Name { get; set; } = { "*" };

    private protected override string NamespaceParameter => nameof(Name);

    private protected override void Process()
    {
        foreach (var cluster in Clusters())
        {
            _names.Add(cluster, OwnNamespaceOr(Name));
        }
    }

    private protected override void End()
        => RunInClusters(_names.All, b => b.Key, b => Engine<IWorkloadService>().GetNamespacesAsync(b.Key.Connection, b.Items, EngineHost, EngineHost.CancellationToken), inParallel: true);
}
