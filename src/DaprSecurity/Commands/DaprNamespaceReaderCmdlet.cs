using System.Management.Automation;
using DaprSecurity.Transformations;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of the cluster cmdlets that report per namespace. -Namespace takes names and wildcards, and pipeline input
/// (strings, Get-DaprNamespace output, Kubernetes objects with metadata.name); the namespaces of every pipeline object
/// are collected and handed to <see cref="DaprCmdlet.End"/> together, so one namespace list serves them all.
/// </summary>
public abstract class DaprNamespaceReaderCmdlet : DaprClusterCmdlet
{
    private readonly List<string> _namespaces = new();

    /// <summary>Namespaces to look in; wildcards allowed. Default: all. Also taken from the pipeline (strings, Name/Namespace properties, metadata.name).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [NamespaceNameTransformation]
    public string[] Namespace { get; set; } = { "*" };

    /// <summary>The namespace patterns of every pipeline object so far.</summary>
    private protected IReadOnlyList<string> Namespaces => _namespaces;

    private protected sealed override void Process() => _namespaces.AddRange(Namespace);
}
