using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Scopes;

/// <summary>
/// What Set-, Add- and Remove-DaprComponentScope share: the three ways to pick components (cluster, manifest files,
/// pipeline objects from Get-DaprComponentScope), -Force, -PassThru, and handing the change to the engine.
/// </summary>
public abstract class ScopeChangeCmdlet : DaprClusterOrManifestCmdlet
{
    private protected const string InputObjectSet = "InputObject";

    /// <summary>Names of the components to change. Wildcards are allowed; a name or wildcard that matches no component is the error ComponentNotFound.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ManifestSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ComponentNameCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.ObjectName, Wildcards = true)]
    [KubeNameTransformation("Component")]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>The components' namespace, one namespace named exactly (a wildcard is the error NamespaceSingleOnly). In the cluster it defaults to the context's namespace. With -Path it selects components by the namespace their manifests set (when omitted, any). With piped components it checks them: one in another namespace is the error NamespaceConflict and is not changed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ClusterSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ManifestSet)]
    [Parameter(ParameterSetName = InputObjectSet)] // so a piped component stays whole with -Namespace: bound by its properties instead, a manifest's would be changed in the cluster
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string? Namespace { get; set; }

    /// <summary>Manifest files or folders to edit instead of the cluster. Only the scopes lines of the matching components change; every other byte of the files stays as it was. Get-ChildItem and Get-Item output binds here (by FullName or PSPath).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ManifestSet)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>A component from Get-DaprComponentScope, or a Component item of kubectl get components -o json | ConvertFrom-Json; it is changed where it was read (its manifest file, or the cluster it came from; an explicit -Context naming another cluster is an error for it).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [KubeObjectTransformation(typeof(DaprComponentScope))]
    public DaprComponentScope? InputObject { get; set; }

    /// <summary>Allows the change to leave a scoped component with no scopes, which makes it visible to every app in its namespace.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns each changed component (also those already as requested) as Get-DaprComponentScope shows it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The app-ids the change is about (see each cmdlet).</summary>
    public abstract string[] AppId { get; set; }

    /// <summary>Set, Add or Remove.</summary>
    private protected abstract ScopeChangeKind Kind { get; }

    /// <summary>Piped or named components in the cluster, per cluster and namespace: each namespace is edited once, at the end.</summary>
    private readonly PipelineBatches<(TargetCluster Cluster, string Namespace), string> _inClusters = new();

    /// <summary>
    /// Component queries per set of manifest paths (joined by NUL, which no path holds): the components piped from one
    /// file are edited together at the end, so the file is read, edited and written once.
    /// </summary>
    private readonly PipelineBatches<string, ComponentQuery> _inManifests = new();

    private protected override void Process()
    {
        if (InputObject is { } input)
        {
            if (input.Path is { } path)
            {
                foreach (var selected in SelectedByCommandLine(new[] { input }, c => (c.Namespace, c.Name), names: null))
                {
                    _inManifests.Add(path, new[] { new ComponentQuery(new[] { selected.Namespace }, new[] { selected.Name }) });
                }

                return;
            }

            foreach (var cluster in Clusters(input))
            {
                _inClusters.Add((cluster, input.Namespace), new[] { input.Name });
            }
        }
        else if (ParameterSetName == ManifestSet)
        {
            var paths = ResolveManifestPaths(Path);
            if (paths.Count > 0)
            {
                _inManifests.Add(string.Join('\0', paths), new[] { new ComponentQuery(Namespace is null ? null : new[] { Namespace }, Name) });
            }
        }
        else if (Namespace is not null && WildcardPattern.ContainsWildcardCharacters(Namespace))
        {
            throw DaprErrors.NamespaceSingleOnly.Raise(
                $"{MyInvocation.MyCommand.Name} -Namespace takes one namespace, not the wildcard '{Namespace}'.",
                Namespace,
                recommendedAction: $"Name the namespace exactly, or pipe the components in: Get-DaprComponentScope -Namespace '{Namespace}' -Name <name> | {MyInvocation.MyCommand.Name} ...");
        }
        else
        {
            foreach (var cluster in Clusters())
            {
                _inClusters.Add((cluster, Namespace ?? cluster.Connection.DefaultNamespace), Name);
            }
        }
    }

    private protected override void End()
    {
        var service = Engine<IComponentScopeService>();
        var change = new ScopeChange(Kind, AppId, Force);
        foreach (var (paths, queries) in _inManifests.All)
        {
            // The engine does its work as the results are read, so they are read even without -PassThru.
            WriteResults(service.ChangeInManifestsAsync(paths.Split('\0'), queries, change, EngineHost, EngineHost.CancellationToken), PassThru.IsPresent);
        }

        RunInClusters(
            _inClusters.All,
            b => b.Key.Cluster,
            b => Streams.Where(service.ChangeInClusterAsync(b.Key.Cluster.Connection, new ComponentQuery(new[] { b.Key.Namespace }, b.Items), change, EngineHost, EngineHost.CancellationToken), _ => PassThru.IsPresent),
            inParallel: false);
    }
}
