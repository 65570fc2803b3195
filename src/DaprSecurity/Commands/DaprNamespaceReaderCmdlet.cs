using System.Management.Automation;
using DaprSecurity.Completers;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of the cluster cmdlets that report per namespace. -Namespace takes names and wildcards, and pipeline input
/// (strings, Get-DaprNamespace output, Kubernetes objects with metadata.name); objects of the cmdlet's own kind select
/// themselves (<see cref="CollectPiped"/>). The namespaces of every pipeline object are collected per cluster and read at the end, one namespace list per cluster and each object once, the clusters
/// in parallel.
/// </summary>
[ReadsClustersInParallel]
public abstract class DaprNamespaceReaderCmdlet : DaprClusterCmdlet
{
    /// <summary>The parameter set of -Namespace.</summary>
    private protected const string NamespaceSet = "Namespace";

    /// <summary>The parameter set of piped objects of the cmdlet's own kind: the default, so PowerShell offers them to -InputObject before -Namespace refuses their kind.</summary>
    private protected const string PipedSet = "InputObject";

    private readonly PipelineBatches<TargetCluster, string> _batches = new();

    /// <summary>Namespaces to look in; wildcards allowed. Default: all. Also taken from the pipeline (strings, Name/Namespace properties, metadata.name). A piped Get-DaprContext object selects its cluster, not a namespace. Given on the command line with piped objects, it checks them: a piped object in a namespace it does not select is the error NamespaceConflict and is not read, and one it selects is read in its own namespace only.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NamespaceSet)]
    [Parameter(Position = 0, ParameterSetName = PipedSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation(ReadsAll = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Namespace { get; set; } = { "*" };

    private protected sealed override void Process()
    {
        foreach (var cluster in Clusters())
        {
            _batches.Add(cluster, CollectPiped(cluster) ? Array.Empty<string>() : OwnNamespaceOr(Namespace));
        }
    }

    /// <summary>Collects the objects of the cmdlet's own kind the current pipeline object brought, if any (those -Namespace and -Name on the command line select, see <see cref="DaprClusterCmdlet.SelectedByCommandLine"/>): those are read one by one, not their namespaces.</summary>
    private protected virtual bool CollectPiped(TargetCluster cluster) => false;

    private protected sealed override void End()
        => RunInClusters(_batches.All, b => b.Key, b => Read(b.Key, b.Items), inParallel: true);

    /// <summary>The objects of <paramref name="namespaces"/> (patterns, each once; empty when only piped objects of the cmdlet's kind name what to read) in one cluster.</summary>
    private protected abstract IAsyncEnumerable<object> Read(TargetCluster cluster, IReadOnlyList<string> namespaces);
}
