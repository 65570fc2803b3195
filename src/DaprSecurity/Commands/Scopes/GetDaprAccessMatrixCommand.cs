using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Text;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Scopes;

/// <summary>Shows which Dapr app can load which component, why, and what it may do there: the least-privilege picture of a namespace.</summary>
/// <remarks>
/// <para>Get-DaprAccessMatrix takes, for each namespace, every Dapr app-id (the dapr.io/app-id of its Dapr-enabled workloads) and every component, and returns one object per pair: Access (True or False) and Reason: Unscoped (the component has no scopes, so every app loads it), Listed, NotListed, or DeniedByConfiguration (the app's Configuration denies the component's type in spec.components.deny).</para>
/// <para>For pub/sub components it evaluates the topic rules (publishingScopes, subscriptionScopes, allowedTopics, protectedTopics) into the topics the app may publish and subscribe to. For secret stores it shows which secrets the app's Configuration lets it read (spec.secrets.scopes). Each entry also names the app's Configuration and its service invocation default action (access control), so one table answers who can reach what.</para>
/// <para>With -Path it reads manifests instead of the cluster: apps come from the workload manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod), Configurations and components from the Dapr documents. -AppId limits the apps; an app-id without wildcards that no workload has is still evaluated, to see what a new app would reach.</para>
/// <para>-Pivot returns one row per app with one True/False property per component name (empty when the component is not in the app's namespace), like the tables in the Dapr security guides. The columns depend on the components, so there is no fixed view: pipe the rows to Format-Table. Without a view, the rows' namespace, app id and component column names are sanitized text (control characters escaped, log commands broken up), so cluster text cannot reach the console raw; the entries without -Pivot keep the raw values.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprAccessMatrix -Namespace shop</code>
/// <para>Lists, for every app in namespace shop, every component with its access and the reason.</para>
/// </example>
/// <example>
/// <code>Get-DaprAccessMatrix -Namespace shop -Pivot | Format-Table</code>
/// <para>Shows the app-by-component table of namespace shop.</para>
/// </example>
/// <example>
/// <code>Get-DaprAccessMatrix -Path ./deploy | Where-Object { $_.Access -and $_.Reason -eq 'Unscoped' }</code>
/// <para>Finds, in the manifests under ./deploy, every app that reaches a component only because the component is not scoped.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprAccessMatrix", HelpUri = HelpLinks.SeeScopes, DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(DaprAccessEntry))]
[OutputType(typeof(DaprAccessPivotRow))]
[ReadsClustersInParallel]
public sealed class GetDaprAccessMatrixCommand : DaprClusterOrManifestCmdlet
{
    private readonly PipelineBatches<TargetCluster, string> _batches = new();

    /// <summary>Namespaces to include. Wildcards are allowed. Defaults to all namespaces. Also taken from the pipeline (strings, Get-DaprNamespace output, metadata.name of Kubernetes objects). With -Path, filters on the namespace the manifests set.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [NamespaceNameTransformation(ReadsAll = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[]? Namespace { get; set; }

    /// <summary>App-ids to include. Wildcards are allowed. An app-id without wildcards that no workload has is evaluated anyway, in the selected namespaces (or every namespace with components).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AppIdCompleter))]
    [DaprInput(DaprInputKind.AppId, Wildcards = true)]
    public string[]? AppId { get; set; }

    /// <summary>Manifest files or folders to read instead of the cluster. Folders are searched recursively for *.yaml and *.yml; wildcards are allowed. Get-ChildItem and Get-Item output binds here (by FullName or PSPath); the files of every piped object are evaluated together.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The file of a component piped from Get-DaprComponentScope -Path (its hidden PipedManifestPath), in every parameter set: such a component is refused, since its file alone holds none of the apps that reach it. Not for use on the command line.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? PipedManifestPath { get; set; }

    /// <summary>Returns one row per app with a True/False property per component (DaprSecurity.Output.DaprAccessPivotRow) instead of one object per app and component.</summary>
    [Parameter]
    public SwitchParameter Pivot { get; set; }

    private protected override void Process()
    {
        if (ParameterSetName != ManifestSet)
        {
            if (!string.IsNullOrEmpty(PipedManifestPath))
            {
                WriteError(DaprErrors.ManifestObjectPiped.Raise($"A component of {PipedManifestPath} was piped in: its file alone holds none of the apps that reach it, and the cluster is not read for it.", PipedManifestPath, recommendedAction: "Give the manifests' folder instead: Get-DaprAccessMatrix -Path <folder>."));
                return;
            }

            // Collected per cluster and read once at the end: each entry once, however many objects are piped.
            var namespaces = OwnNamespaceOr(Namespace ?? new[] { "*" });
            foreach (var cluster in Clusters())
            {
                _batches.Add(cluster, namespaces);
            }

            return;
        }

        CollectManifestPaths(Path);
    }

    private protected override void End()
    {
        if (ParameterSetName == ManifestSet)
        {
            if (CollectedManifestPaths is { Count: > 0 } paths)
            {
                WriteResults(Rows(Engine<IAccessMatrixService>().FromManifestsAsync(paths, new AccessMatrixQuery(Namespace, AppId), EngineHost, EngineHost.CancellationToken)));
            }

            return;
        }

        RunInClusters(
            _batches.All,
            b => b.Key,
            b => Rows(Engine<IAccessMatrixService>().FromClusterAsync(b.Key.Connection, new AccessMatrixQuery(AllOrNamed(b.Items), AppId), EngineHost, EngineHost.CancellationToken)),
            inParallel: true);
    }

    /// <summary>The entries as they arrive or, with -Pivot, once all have: one row per app.</summary>
    private async IAsyncEnumerable<object> Rows(IAsyncEnumerable<DaprAccessEntry> entries)
    {
        if (!Pivot)
        {
            await foreach (var entry in entries.ConfigureAwait(false))
            {
                yield return entry;
            }

            yield break;
        }

        var pivot = Engine<IAccessMatrixService>().Pivot(await Streams.ToListAsync(entries).ConfigureAwait(false));
        foreach (var row in pivot.Rows)
        {
            yield return PivotRowObject(row, pivot.Columns);
        }
    }

    /// <summary>
    /// The row with one note property per component column. Columns change with the components, which no static
    /// view can express, so the row's default display set lists them instead. Without a view nothing would pass the
    /// sanitizer on its way to the console, so the row is made of sanitized text (namespace, app id and the component
    /// column names; the same as the raw text for every valid name): a pivot row is a table for reading, and the
    /// entries without -Pivot keep the raw values.
    /// </summary>
    private static PSObject PivotRowObject(DaprAccessPivotRow row, IReadOnlyList<string> columns)
    {
        var result = PSObject.AsPSObject(new DaprAccessPivotRow
        {
            Namespace = UntrustedText.Sanitize(row.Namespace),
            AppId = UntrustedText.Sanitize(row.AppId),
            Access = row.Access.GroupBy(a => UntrustedText.Sanitize(a.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal),
            Context = row.Context,
            KubeConfig = row.KubeConfig,
        });
        var displayed = new List<string> { nameof(DaprAccessPivotRow.Namespace), nameof(DaprAccessPivotRow.AppId) };
        foreach (var component in columns)
        {
            var column = UntrustedText.Sanitize(component);
            var name = result.Properties[column] is null ? column : column + " (component)";
            for (var n = 2; result.Properties[name] is not null; n++)
            {
                name = $"{column} (component {n})"; // two long names cut to the same text
            }

            result.Properties.Add(new PSNoteProperty(name, row.Access.TryGetValue(component, out var access) ? access : null));
            displayed.Add(name);
        }

        result.Members.Add(new PSMemberSet("PSStandardMembers", new PSMemberInfo[] { new PSPropertySet("DefaultDisplayPropertySet", displayed) }));
        return result;
    }
}
