using System.Management.Automation;
using DaprSecurity.Completers;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of the cluster cmdlets that report per namespace. -Namespace takes names and wildcards, and pipeline input
/// (strings, Get-DaprNamespace output, Kubernetes objects with metadata.name); the namespaces of every pipeline object
/// are collected per cluster and read at the end, one namespace list per cluster and each object once, the clusters
/// in parallel.
/// </summary>
[ReadsClustersInParallel]
public abstract class DaprNamespaceReaderCmdlet : DaprClusterCmdlet
{
    private readonly NamespaceBatches<TargetCluster> _batches = new();

    /// <summary>Namespaces to look in; wildcards allowed. Default: all. Also taken from the pipeline (strings, Name/Namespace properties, metadata.name). A piped Get-DaprContext object selects its cluster, not a namespace.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [NamespaceNameTransformation(ReadsAll = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Namespace { get; set; } = { "*" };

    private protected sealed override void Process()
    {
        foreach (var cluster in Clusters())
        {
            _batches.Add(cluster, Namespace);
        }
    }

    private protected sealed override void End()
        => RunInClusters(_batches.All.ToList(), b => b.Key, b => Read(b.Key, b.Namespaces), inParallel: true);

    /// <summary>The objects of <paramref name="namespaces"/> (patterns, each once) in one cluster.</summary>
    private protected abstract IEnumerable<object> Read(TargetCluster cluster, IReadOnlyList<string> namespaces);
}
