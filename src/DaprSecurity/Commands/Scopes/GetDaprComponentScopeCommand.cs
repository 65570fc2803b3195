using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Scopes;

/// <summary>Shows which apps each Dapr component is scoped to, in the cluster or in manifest files, and what is wrong with its scoping.</summary>
/// <remarks>
/// <para>Get-DaprComponentScope returns one object per Dapr component: namespace, name, type, version, the app-ids in its top-level scopes list, whether it is scoped at all, and where it comes from (the cluster, or a manifest file and line). A component without scopes can be loaded by every app in its namespace.</para>
/// <para>Without -Path it reads the cluster (all namespaces unless -Namespace is given). With -Path it reads manifest files or folders (searched recursively for *.yaml and *.yml, multi-document files included); documents that are not Dapr components are skipped, so it can be pointed at a whole deployment repository without a cluster.</para>
/// <para>It warns, with the component as target, about scoping Dapr silently ignores: a misspelled 'scope:' key, 'Scopes:' in the wrong case, scopes placed under spec or metadata, a scopes value that is not a list, app-ids that are not valid on Kubernetes, and app-ids that no Dapr workload in the namespace has (in manifests: when the manifests contain that namespace's workloads). In the cluster it also reports a misspelled key that kubectl applied but the API server dropped. The same findings are on each object's Findings property.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprComponentScope -Namespace shop</code>
/// <para>Lists the components of namespace shop with their scopes.</para>
/// </example>
/// <example>
/// <code>Get-DaprComponentScope | Where-Object { -not $_.IsScoped } | ForEach-Object { "$($_.Namespace)/$($_.Name) is visible to every app" }</code>
/// <para>Finds every component in the cluster that any app in its namespace can load.</para>
/// </example>
/// <example>
/// <code>Get-DaprComponentScope -Path ./deploy -WarningVariable problems; $problems</code>
/// <para>Reads every component in the manifests under ./deploy, without a cluster, and keeps the scoping warnings for a CI report.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprComponentScope", HelpUri = HelpLinks.SeeScopes, DefaultParameterSetName = PipedSet)]
[OutputType(typeof(DaprComponentScope))]
[ReadsClustersInParallel]
public sealed class GetDaprComponentScopeCommand : DaprClusterOrManifestCmdlet
{
    /// <summary>Names of the components to return. Wildcards are allowed; a name or wildcard that matches no component is the error ComponentNotFound.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    [DaprInput(DaprInputKind.ObjectName, Wildcards = true)]
    [KubeNameTransformation("Component")]
    public string[]? Name { get; set; }

    /// <summary>Namespaces to look in. Wildcards are allowed. Defaults to all namespaces. Also taken from the pipeline (strings, Get-DaprNamespace output, metadata.name of Kubernetes objects). With -Path, filters on the namespace the manifests set (a manifest without one has an empty namespace). Given on the command line with piped objects, it checks them: a piped object in a namespace it does not select is the error NamespaceConflict and is not read, and one it selects is read in its own namespace only (with -Name, the components of that namespace it selects).</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ManifestSet)]
    [Parameter(ParameterSetName = PipedWithNamespaceSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation(ReadsAll = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[]? Namespace { get; set; }

    /// <summary>Manifest files or folders to read instead of the cluster. Folders are searched recursively for *.yaml and *.yml; wildcards are allowed. Get-ChildItem and Get-Item output binds here (by FullName or PSPath); the files of every piped object are read together, each component once.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Components to read again: this cmdlet's output, or Component items of kubectl get components.dapr.io -o json | ConvertFrom-Json, each selecting itself (its namespace and name) instead of its namespace: one read from a manifest is read again from its file (Path), the others from the cluster they came from. One that does not exist is the error ComponentNotFound. With -Namespace or -Name on the command line, a piped component they do not select is the error NamespaceConflict or NameConflict, and is not read.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = PipedSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipedWithNamespaceSet)]
    [KubeObjectTransformation(typeof(DaprComponentScope), RefusesOtherKinds = true)]
    public DaprComponentScope[] InputObject { get; set; } = Array.Empty<DaprComponentScope>();

    // The default set, so PowerShell offers piped components to -InputObject before -Namespace refuses their kind.
    private const string PipedSet = "InputObject";

    // Piped components with -Namespace on the command line, which checks them. A set of its own, with -InputObject
    // mandatory: in the default set -Namespace would keep a piped file there (bound as namespace "*") instead of -Path,
    // and without it a piped cluster component would bind its empty Path to -Path.
    private const string PipedWithNamespaceSet = "InputObjectWithNamespace";

    private readonly PipelineBatches<TargetCluster, string> _batches = new();
    private readonly PipedObjects<DaprComponentScope> _piped = new(c => (c.Namespace, c.Name));

    /// <summary>Piped components read from manifests, by file, namespace and name: read again from their files at the end, with one read.</summary>
    private readonly PipelineBatches<string, ManifestComponentReference> _pipedFromFiles = new();

    private protected override void Process()
    {
        if (ParameterSetName == ManifestSet)
        {
            CollectManifestPaths(Path);
            return;
        }

        var fromFiles = InputObject.Where(c => c.Path is not null).ToList();
        _pipedFromFiles.Add(ManifestSet, SelectedByCommandLine(fromFiles, c => (c.Namespace, c.Name), Name).Select(c => new ManifestComponentReference(c.Path!, c.Namespace, c.Name)));
        if (fromFiles.Count > 0 && fromFiles.Count == InputObject.Length)
        {
            return; // nothing from a cluster: no kubeconfig needed
        }

        // Collected per cluster and read once at the end: each component once, however many objects are piped.
        var fromClusters = InputObject.Where(c => c.Path is null).ToList();
        var namespaces = OwnNamespaceOr(Namespace ?? new[] { "*" });
        foreach (var cluster in Clusters())
        {
            _piped.Add(cluster, SelectedByCommandLine(fromClusters, c => (c.Namespace, c.Name), Name));
            _batches.Add(cluster, InputObject.Length > 0 ? Array.Empty<string>() : namespaces);
        }
    }

    private protected override void End()
    {
        if (ParameterSetName == ManifestSet)
        {
            if (CollectedManifestPaths is { Count: > 0 } paths)
            {
                WriteResults(Engine<IComponentScopeService>().GetFromManifestsAsync(paths, new ComponentQuery(Namespace, Name), EngineHost, EngineHost.CancellationToken));
            }

            return;
        }

        if (_pipedFromFiles.All is [var (_, wanted)] && wanted.Count > 0)
        {
            WriteResults(Engine<IComponentScopeService>().GetAgainFromManifestsAsync(wanted, EngineHost, EngineHost.CancellationToken));
        }

        RunInClusters(
            _batches.All,
            b => b.Key,
            b => Read(b.Key, b.Items),
            inParallel: true);
    }

    /// <summary>The piped components of one cluster, then those of the namespaces (none when only components were piped).</summary>
    private async IAsyncEnumerable<DaprComponentScope> Read(TargetCluster cluster, IReadOnlyList<string> namespaces)
    {
        var piped = _piped.Select(
            cluster,
            (inNamespaces, names) => Engine<IComponentScopeService>().GetFromClusterAsync(cluster.Connection, new ComponentQuery(inNamespaces, names), EngineHost, EngineHost.CancellationToken),
            c => (c.Namespace, c.Name),
            absent => EngineHost.WriteError(DaprErrors.ComponentNotFound.Raise($"No component {absent.Namespace}/{absent.Name} in context '{cluster.Context}'.", $"{absent.Namespace}/{absent.Name}")));
        await foreach (var component in piped.ConfigureAwait(false))
        {
            yield return component;
        }

        if (namespaces.Count > 0)
        {
            await foreach (var component in Engine<IComponentScopeService>().GetFromClusterAsync(cluster.Connection, new ComponentQuery(AllOrNamed(namespaces), Name), EngineHost, EngineHost.CancellationToken).ConfigureAwait(false))
            {
                yield return component;
            }
        }
    }
}
