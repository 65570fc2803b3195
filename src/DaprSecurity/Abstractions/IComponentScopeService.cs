using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// Reads and edits the scopes of Dapr components, in a cluster or in manifest files (implemented by the engine). Every
/// call streams its results and stops when <c>cancellationToken</c> is cancelled (Ctrl+C).
/// </summary>
public interface IComponentScopeService
{
    /// <summary>Components in the cluster, one object each, streamed; problems with their scoping go to warnings and <see cref="DaprComponentScope.Findings"/>.</summary>
    IAsyncEnumerable<DaprComponentScope> GetFromClusterAsync(IClusterConnection cluster, ComponentQuery query, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Components in manifest files; <paramref name="paths"/> are files or folders (searched recursively for *.yaml and *.yml).</summary>
    IAsyncEnumerable<DaprComponentScope> GetFromManifestsAsync(IReadOnlyList<string> paths, ComponentQuery query, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>
    /// Exactly the components <paramref name="wanted"/> names, read again with one read of their files (all together, so
    /// apps in one file still meet components in another), each once; one no longer in its file is ComponentNotFound.
    /// </summary>
    IAsyncEnumerable<DaprComponentScope> GetAgainFromManifestsAsync(IReadOnlyList<ManifestComponentReference> wanted, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>
    /// Edits the scopes of the components <paramref name="query"/> selects in one namespace (its first pattern),
    /// asking ShouldProcess for each; a concurrent change is never overwritten. Returns each component as it now is.
    /// </summary>
    IAsyncEnumerable<DaprComponentScope> ChangeInClusterAsync(IClusterConnection cluster, ComponentQuery query, ScopeChange change, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>
    /// Edits the scopes of the components any of <paramref name="queries"/> selects in manifest files, changing only the
    /// scopes lines; returns each component as it now is. Each file is read once and, when anything in it changed,
    /// written once, however many of its components change. A query's literal name that selects nothing is an error.
    /// </summary>
    IAsyncEnumerable<DaprComponentScope> ChangeInManifestsAsync(IReadOnlyList<string> paths, IReadOnlyList<ComponentQuery> queries, ScopeChange change, IEngineHost host, CancellationToken cancellationToken);
}
