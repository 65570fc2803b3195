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
        var snapshot = await ClusterSnapshot.ReadAsync(cluster, query.Namespaces, configurations: true, appsOptional: false, host, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            yield break;
        }

        var entries = Build(
            snapshot.Components.Select(c => new SourcedComponent(c, "cluster")),
            snapshot.Configurations,
            snapshot.Apps ?? Array.Empty<DaprApp>(),
            snapshot.Namespaces ?? query.Namespaces?.Where(n => !Wildcard.HasWildcards(n)).ToList(),
            query.AppIds);
        foreach (var entry in entries)
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprAccessEntry> FromManifestsAsync(IReadOnlyList<string> paths, AccessMatrixQuery query, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield(); // file reads: off the caller's thread from the start
        var objects = ManifestReader.Read(paths, host).ToList();
        var namespaces = query.Namespaces?.Select(p => new Wildcard(p)).ToList();
        bool Selected(string ns) => namespaces is null || namespaces.Any(n => n.IsMatch(ns));
        var entries = Build(
            objects.Where(o => DaprResource.Component.Is(o.Json) && Selected(o.Namespace)).Select(o => new SourcedComponent(new ComponentDocument(o.Json), o.Source)),
            objects.Where(o => DaprResource.Configuration.Is(o.Json)).Select(o => new ConfigurationDocument(o.Json)),
            objects.Select(DaprApp.From).OfType<DaprApp>().Where(a => Selected(a.Namespace)).ToList(),
            null,
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
    /// wildcards are evaluated even when no workload has them (what would that app reach?), in
    /// <paramref name="explicitNamespaces"/> or, failing those, wherever there are components.
    /// </summary>
    private static IEnumerable<DaprAccessEntry> Build(
        IEnumerable<SourcedComponent> components,
        IEnumerable<ConfigurationDocument> configurations,
        IReadOnlyList<DaprApp> apps,
        IReadOnlyList<string>? explicitNamespaces,
        IReadOnlyList<string>? appIds)
    {
        var byNamespace = components.ToLookup(c => c.Component.Namespace);
        var configurationsByNamespace = configurations.ToLookup(c => c.Namespace);
        var patterns = appIds?.Select(p => new Wildcard(p)).ToList();
        var hypothetical = appIds?.Where(a => !Wildcard.HasWildcards(a)).ToList() ?? new List<string>();
        var namespaces = apps.Select(a => a.Namespace)
            .Concat(hypothetical.Count > 0 ? explicitNamespaces ?? byNamespace.Select(g => g.Key) : Enumerable.Empty<string>())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            var present = apps.Where(a => a.Namespace == ns && (patterns is null || patterns.Any(p => p.IsMatch(a.AppId)))).DistinctBy(a => a.AppId).ToList();
            var extra = hypothetical.Where(a => present.All(p => p.AppId != a)).Select(a => new DaprApp(ns, a, null));
            var nsConfigurations = configurationsByNamespace[ns].GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var entry in AccessMatrixBuilder.Build(ns, present.Concat(extra), byNamespace[ns].ToList(), nsConfigurations))
            {
                yield return entry;
            }
        }
    }
}
