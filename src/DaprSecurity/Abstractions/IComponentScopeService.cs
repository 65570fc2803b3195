using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>Which components: namespace and name patterns (wildcards allowed); null selects all.</summary>
public sealed record ComponentQuery(IReadOnlyList<string>? Namespaces, IReadOnlyList<string>? Names);

/// <summary>How a scope edit changes the list.</summary>
public enum ScopeChangeKind
{
    /// <summary>The list becomes exactly the given app-ids.</summary>
    Set,

    /// <summary>The given app-ids are appended when missing.</summary>
    Add,

    /// <summary>The given app-ids are removed.</summary>
    Remove,
}

/// <summary>An edit of the scopes list. <paramref name="Force"/> allows leaving a scoped component with no scopes (visible to every app).</summary>
public sealed record ScopeChange(ScopeChangeKind Kind, IReadOnlyList<string> AppIds, bool Force);

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
    /// Edits the scopes of the components <paramref name="query"/> selects in one namespace (its first pattern),
    /// asking ShouldProcess for each; a concurrent change is never overwritten. Returns each component as it now is.
    /// </summary>
    IAsyncEnumerable<DaprComponentScope> ChangeInClusterAsync(IClusterConnection cluster, ComponentQuery query, ScopeChange change, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>
    /// Edits the scopes of components in manifest files, changing only the scopes lines; returns each component as it
    /// now is. Each file is read once and, when anything in it changed, written once, however many of its components change.
    /// </summary>
    IAsyncEnumerable<DaprComponentScope> ChangeInManifestsAsync(IReadOnlyList<string> paths, ComponentQuery query, ScopeChange change, IEngineHost host, CancellationToken cancellationToken);
}
