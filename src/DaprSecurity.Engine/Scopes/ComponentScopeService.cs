using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Text;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Reads and edits component scopes in a cluster or in manifest files (see <see cref="IComponentScopeService"/>).</summary>
public sealed class ComponentScopeService : IComponentScopeService
{
    // App-ids per (connection, namespace) for the unknown-app-id check. The engine builds this service per command
    // invocation (EngineRoot.ForInvocation), so a namespace's workloads are listed once however many components are piped in.
    private readonly ConcurrentDictionary<(int Connection, string Namespace), List<string>?> _appIds = new();

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprComponentScope> GetFromClusterAsync(IClusterConnection connection, ComponentQuery query, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var selection = new ComponentSelection(query);
        var read = new List<string>();
        await foreach (var ns in ClusterSnapshot.ReadAsync(cluster, query.Namespaces, configurations: false, appsOptional: true, host, cancellationToken).ConfigureAwait(false))
        {
            read.Add(ns.Namespace);
            var apps = ns.Apps?.Select(a => a.AppId).ToHashSet(StringComparer.Ordinal);
            foreach (var component in ns.Components.Where(selection.Matches))
            {
                var findings = new ScopeFindings(component, null, ScopeOutput.NoLines).CheckKeys().CheckLastApplied();
                if (apps is not null)
                {
                    findings.CheckKnownApps(apps);
                }

                yield return ScopeOutput.FromCluster(component, cluster.ContextName, ScopeOutput.Warn(findings.All, host));
            }
        }

        var all = ClusterSnapshot.ReadsAll(query.Namespaces);
        if (!all && read.Count == 0)
        {
            yield break; // no namespace selected: the patterns' errors say so
        }

        foreach (var error in selection.NotFound(all ? "any namespace" : "namespace " + string.Join(", ", read)))
        {
            host.WriteError(error);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprComponentScope> GetFromManifestsAsync(IReadOnlyList<string> paths, ComponentQuery query, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var selection = new ComponentSelection(query);
        await foreach (var component in ReadManifestsAsync(paths, (_, c) => selection.Matches(c), host, cancellationToken).ConfigureAwait(false))
        {
            yield return component;
        }

        foreach (var error in selection.NotFound("the manifests"))
        {
            host.WriteError(error);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprComponentScope> GetAgainFromManifestsAsync(IReadOnlyList<ManifestComponentReference> wanted, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var left = wanted.ToHashSet();
        var paths = wanted.Select(w => w.Path).Distinct(StringComparer.Ordinal).ToList();
        await foreach (var component in ReadManifestsAsync(paths, (path, c) => left.Remove(new ManifestComponentReference(path, c.Namespace, c.Name)), host, cancellationToken).ConfigureAwait(false))
        {
            yield return component;
        }

        foreach (var absent in left)
        {
            host.WriteError(DaprErrors.ComponentNotFound.Raise($"No component {absent.Namespace}/{absent.Name} in {absent.Path}.", $"{absent.Namespace}/{absent.Name}"));
        }
    }

    /// <summary>The components of the manifests under <paramref name="paths"/> that <paramref name="selects"/> (given each one's file) takes, with their findings; only those taken are warned about.</summary>
    private static async IAsyncEnumerable<DaprComponentScope> ReadManifestsAsync(IReadOnlyList<string> paths, Func<string, ComponentDocument, bool> selects, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield(); // file reads: off the caller's thread from the start
        var read = ManifestDaprObjects.Read(paths, host);
        var apps = read.AppIds;
        foreach (var (obj, component) in Components(read).Where(c => selects(c.Object.File.Path, c.Component)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var findings = new ScopeFindings(component, obj.File.Path, ScopeOutput.LinesOf(obj.Document)).CheckKeys();
            if (apps.Contains(component.Namespace))
            {
                findings.CheckKnownApps(apps[component.Namespace].ToHashSet(StringComparer.Ordinal));
            }

            yield return ScopeOutput.FromManifest(component, obj.File, obj.Document, ScopeOutput.Warn(findings.All, host));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprComponentScope> ChangeInClusterAsync(IClusterConnection connection, ComponentQuery query, ScopeChange change, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        InputRules.AppIds(change.AppIds);
        var cluster = ClusterConnection.From(connection);
        var @namespace = query.Namespaces?.FirstOrDefault() ?? cluster.DefaultNamespace;
        var editor = new ClusterScopeEditor(cluster, host);
        var targets = await ClusterTargetsAsync(cluster, editor, @namespace, query.Names ?? new[] { "*" }, host, cancellationToken).ConfigureAwait(false);
        if (!_appIds.TryGetValue((cluster.Id, @namespace), out var apps))
        {
            apps = (await ClusterSnapshot.AppsAsync(cluster, @namespace, host, cancellationToken).ConfigureAwait(false))?.Select(a => a.AppId).ToList();
            _appIds[(cluster.Id, @namespace)] = apps;
        }

        foreach (var component in targets)
        {
            host.Work.Plan($"component {component.DisplayName}"); // all of them, so a stop names those not reached yet
        }

        foreach (var component in targets)
        {
            var target = $"component {component.DisplayName}";
            var updated = await ScopeOutput.OrErrorAsync(host, async () => Plan(component, change, apps, target, host) switch
            {
                null => component,
                var edit when Confirm(component, edit, target, host) => await editor.ApplyAsync(component, edit, cancellationToken).ConfigureAwait(false),
                _ => null,
            }).ConfigureAwait(false);
            if (updated is not null)
            {
                host.Work.Done(target);
                yield return ScopeOutput.FromCluster(updated, cluster.ContextName, new ScopeFindings(updated, null, ScopeOutput.NoLines).CheckKeys().All);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprComponentScope> ChangeInManifestsAsync(IReadOnlyList<string> paths, IReadOnlyList<ComponentQuery> queries, ScopeChange change, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        InputRules.AppIds(change.AppIds);
        await Task.Yield(); // file reads and writes: off the caller's thread from the start
        var read = ManifestDaprObjects.Read(paths, host);
        var apps = read.AppIds;
        var selections = queries.Select(q => new ComponentSelection(q)).ToList();
        var selected = Components(read).Where(c => selections.FindAll(s => s.Matches(c.Component)).Count > 0); // every selection sees every component, for its not-found errors
        foreach (var file in selected.GroupBy(c => c.Object.File).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var result in ChangeFile(file.ToList(), change, apps, host))
            {
                yield return result;
            }
        }

        foreach (var error in selections.SelectMany(s => s.NotFound("the manifests")))
        {
            host.WriteError(error);
        }
    }

    /// <summary>
    /// The selected components of one file: each edit planned and confirmed first, then all of them applied with one
    /// read and one write of the file. Results in the file's order.
    /// </summary>
    private static IEnumerable<DaprComponentScope> ChangeFile(IReadOnlyList<(ManifestObject Object, ComponentDocument Component)> components, ScopeChange change, ILookup<string, string> apps, IEngineHost host)
    {
        var results = new DaprComponentScope?[components.Count];
        var edits = new List<(int Index, ManifestObject Target, ScopeEdit Edit)>();
        for (var i = 0; i < components.Count; i++)
        {
            var (obj, component) = components[i];
            var target = Target(obj, component);
            try
            {
                var edit = Plan(component, change, apps.Contains(component.Namespace) ? apps[component.Namespace] : null, target, host);
                if (edit is null)
                {
                    results[i] = Output(component, obj.File, obj.Document);
                }
                else if (Confirm(component, edit, target, host))
                {
                    edits.Add((i, obj, edit));
                }
            }
            catch (DaprSecurityException e)
            {
                host.WriteError(e);
            }
        }

        if (edits.Count > 0 && ScopeOutput.OrError(host, () => ManifestComponentEditor.Apply(edits.Select(e => (e.Target, e.Edit)).ToList(), host)) is { } outcomes)
        {
            for (var e = 0; e < edits.Count; e++)
            {
                if (outcomes[e] is { Error: { } error })
                {
                    host.WriteError(error);
                    continue;
                }

                results[edits[e].Index] = Output(outcomes[e].Component!, edits[e].Target.File, outcomes[e].Document!);
            }
        }

        for (var i = 0; i < components.Count; i++)
        {
            if (results[i] is { } result)
            {
                host.Work.Done(Target(components[i].Object, components[i].Component));
                yield return result;
            }
        }
    }

    private static string Target(ManifestObject obj, ComponentDocument component) => $"component {component.DisplayName} in {obj.Source}";

    private static DaprComponentScope Output(ComponentDocument component, ManifestFile file, ManifestDocument document)
        => ScopeOutput.FromManifest(component, file, document, new ScopeFindings(component, file.Path, ScopeOutput.LinesOf(document)).CheckKeys().All);

    /// <summary>
    /// Decides the edit of one component on the pipeline thread: resolves the change against the scopes the user saw,
    /// refuses to unscope without Force and warns about app-ids no workload has. Null when there is nothing to change.
    /// </summary>
    private static ScopeEdit? Plan(ComponentDocument component, ScopeChange change, IEnumerable<string>? knownApps, string target, IEngineHost host)
    {
        if (!component.ScopesAreValid)
        {
            throw DaprErrors.ComponentScopesInvalid.Raise($"The 'scopes' of {target} is not a list of app-ids; it was not edited.", component.DisplayName);
        }

        var edit = ScopeEdit.Resolve(change, component.Scopes);
        var result = edit.ApplyTo(component.Scopes);
        edit.CheckNotUnscoping(component.DisplayName, component.Scopes, result);
        if (result.SequenceEqual(component.Scopes, StringComparer.Ordinal))
        {
            host.WriteVerbose($"The scopes of {target} are already {ScopeEdit.List(result)}; nothing to change.");
            return null;
        }

        foreach (var appId in knownApps is null ? Enumerable.Empty<string>() : result.Except(component.Scopes).Except(knownApps))
        {
            host.WriteWarning($"No Dapr workload in namespace '{component.Namespace}' has app-id '{appId}'; check the spelling (scopes match app-ids exactly).");
        }

        return edit;
    }

    private static bool Confirm(ComponentDocument component, ScopeEdit edit, string target, IEngineHost host)
        => host.ShouldProcess(target, ScopeEdit.Describe(component.Scopes, edit.ApplyTo(component.Scopes)));

    /// <summary>The components the name patterns select in one namespace: a literal name is read directly, patterns list the namespace once.</summary>
    private static async Task<IReadOnlyList<ComponentDocument>> ClusterTargetsAsync(ClusterConnection cluster, ClusterScopeEditor editor, string @namespace, IReadOnlyList<string> names, IEngineHost host, CancellationToken cancellationToken)
    {
        var selection = new ComponentSelection(new ComponentQuery(null, names.Where(Wildcard.HasWildcards).ToList()));
        var listed = names.Any(Wildcard.HasWildcards)
            ? (await ClusterSnapshot.ComponentsAsync(cluster, @namespace, cancellationToken).ConfigureAwait(false)).Where(selection.Matches).OrderBy(c => c.Name, StringComparer.Ordinal).ToList()
            : new List<ComponentDocument>();
        foreach (var error in selection.NotFound($"namespace '{@namespace}'"))
        {
            host.WriteError(error); // a wildcard that matched nothing; a literal name's absence is the editor's error
        }

        var literal = new List<ComponentDocument>();
        foreach (var name in names.Where(n => !Wildcard.HasWildcards(n)))
        {
            if (await ScopeOutput.OrErrorAsync<ComponentDocument>(host, async () => await editor.GetAsync(@namespace, name, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false) is { } component)
            {
                literal.Add(component);
            }
        }

        return literal.Concat(listed).GroupBy(c => c.Name).Select(g => g.First()).ToList();
    }

    private static IEnumerable<(ManifestObject Object, ComponentDocument Component)> Components(ManifestDaprObjects read)
        => read.Components.Select(o => (o, new ComponentDocument(o.Json)));
}
