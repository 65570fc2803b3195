using System.Runtime.CompilerServices;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Text;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Builds the app-by-component access matrix from a cluster or from manifests (see <see cref="IAccessMatrixService"/>).</summary>
public sealed class AccessMatrixService : IAccessMatrixService
{
    /// <inheritdoc />
    public async IAsyncEnumerable<DaprAccessEntry> FromClusterAsync(IClusterConnection connection, AccessMatrixQuery query, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var apps = new AppIdFilter(query.AppIds);

        // Hypothetical app-ids are evaluated in every namespace handed out: each one selected (when the namespaces may
        // not be listed, each one the lists hold).
        await foreach (var ns in ClusterSnapshot.ReadAsync(cluster, query.Namespaces, configurations: true, appsOptional: false, host, cancellationToken).ConfigureAwait(false))
        {
            var components = ns.Components.Select(c => new SourcedComponent(c, "cluster")).ToList();
            foreach (var entry in BuildNamespace(ns.Namespace, ns.Apps!, components, ns.Configurations, apps, hypothetical: true))
            {
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprAccessEntry> FromManifestsAsync(IReadOnlyList<string> paths, AccessMatrixQuery query, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield(); // file reads: off the caller's thread from the start
        var read = ManifestDaprObjects.Read(paths, host);
        var namespaces = query.Namespaces?.Select(p => new Wildcard(p)).ToList();
        bool Selected(string ns) => namespaces is null || namespaces.Any(n => n.IsMatch(ns));
        var entries = Build(
            read.Components.Where(o => Selected(o.Namespace)).Select(o => new SourcedComponent(new ComponentDocument(o.Json), o.Source)),
            read.Configurations.Select(o => new ConfigurationDocument(o.Json)),
            read.Apps.Where(a => Selected(a.Namespace)).ToList(),
            query.AppIds);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    /// <inheritdoc />
    public AccessPivot Pivot(IEnumerable<DaprAccessEntry> entries)
    {
        var all = entries.ToList();
        var columns = all.Select(e => e.Component).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = all.GroupBy(e => (e.Namespace, e.AppId))
            .Select(g => new DaprAccessPivotRow
            {
                Namespace = g.Key.Namespace,
                AppId = g.Key.AppId,
                Access = g.OrderBy(e => e.Component, StringComparer.Ordinal).ToDictionary(e => e.Component, e => e.Access, StringComparer.Ordinal),
            })
            .ToList();
        return new AccessPivot(columns, rows);
    }

    /// <summary>
    /// Groups everything by namespace and builds each namespace's matrix. App-ids named in the query without
    /// wildcards are evaluated even when no workload has them (what would that app reach?), wherever there are components.
    /// </summary>
    private static IEnumerable<DaprAccessEntry> Build(
        IEnumerable<SourcedComponent> components,
        IEnumerable<ConfigurationDocument> configurations,
        IReadOnlyList<DaprApp> apps,
        IReadOnlyList<string>? appIds)
    {
        var byNamespace = components.ToLookup(c => c.Component.Namespace);
        var configurationsByNamespace = configurations.ToLookup(c => c.Namespace);
        var appsByNamespace = apps.ToLookup(a => a.Namespace);
        var filter = new AppIdFilter(appIds);
        var namespaces = apps.Select(a => a.Namespace)
            .Concat(filter.Hypothetical.Count > 0 ? byNamespace.Select(g => g.Key) : Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return namespaces.SelectMany(ns => BuildNamespace(ns, appsByNamespace[ns].ToList(), byNamespace[ns].ToList(), configurationsByNamespace[ns], filter, hypothetical: true));
    }

    /// <summary>
    /// The matrix of one namespace: its apps the query selects and, with <paramref name="hypothetical"/>, the app-ids it
    /// names without wildcards that no app there has.
    /// </summary>
    private static IEnumerable<DaprAccessEntry> BuildNamespace(string ns, IReadOnlyList<DaprApp> apps, IReadOnlyList<SourcedComponent> components, IEnumerable<ConfigurationDocument> configurations, AppIdFilter filter, bool hypothetical)
    {
        var present = apps.Where(a => filter.Selects(a.AppId)).DistinctBy(a => a.AppId).ToList();
        var extra = (hypothetical ? filter.Hypothetical : Array.Empty<string>()).Where(a => present.All(p => p.AppId != a)).Select(a => new DaprApp(ns, a, null));
        var nsConfigurations = configurations.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return AccessMatrixBuilder.Build(ns, present.Concat(extra), components, nsConfigurations);
    }

    /// <summary>The query's app-ids: the patterns an app must match (none: every app), and the names without wildcards.</summary>
    private sealed class AppIdFilter
    {
        private readonly List<Wildcard>? _patterns;

        public AppIdFilter(IReadOnlyList<string>? appIds)
        {
            _patterns = appIds?.Select(p => new Wildcard(p)).ToList();
            Hypothetical = appIds?.Where(a => !Wildcard.HasWildcards(a)).ToList() ?? new List<string>();
        }

        public IReadOnlyList<string> Hypothetical { get; }

        public bool Selects(string appId) => _patterns is null || _patterns.Any(p => p.IsMatch(appId));
    }
}
