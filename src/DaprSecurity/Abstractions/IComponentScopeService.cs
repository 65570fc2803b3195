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

/// <summary>Reads and edits the scopes of Dapr components, in a cluster or in manifest files (implemented by the engine).</summary>
public interface IComponentScopeService
{
    /// <summary>Components in the cluster, one object each, streamed; problems with their scoping go to warnings and <see cref="DaprComponentScope.Findings"/>.</summary>
    IEnumerable<DaprComponentScope> GetFromCluster(IClusterConnection cluster, ComponentQuery query, IEngineHost host);

    /// <summary>Components in manifest files; <paramref name="paths"/> are files or folders (searched recursively for *.yaml and *.yml).</summary>
    IEnumerable<DaprComponentScope> GetFromManifests(IReadOnlyList<string> paths, ComponentQuery query, IEngineHost host);

    /// <summary>
    /// Edits the scopes of the components <paramref name="query"/> selects in one namespace (its first pattern),
    /// asking ShouldProcess for each; a concurrent change is never overwritten. Returns each component as it now is.
    /// </summary>
    IEnumerable<DaprComponentScope> ChangeInCluster(IClusterConnection cluster, ComponentQuery query, ScopeChange change, IEngineHost host);

    /// <summary>Edits the scopes of components in manifest files, changing only the scopes lines; returns each component as it now is.</summary>
    IEnumerable<DaprComponentScope> ChangeInManifests(IReadOnlyList<string> paths, ComponentQuery query, ScopeChange change, IEngineHost host);
}
