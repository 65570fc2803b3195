using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>Which part of the matrix: namespace patterns and app-ids (null: all). An app-id without wildcards that no workload has is still evaluated.</summary>
public sealed record AccessMatrixQuery(IReadOnlyList<string>? Namespaces, IReadOnlyList<string>? AppIds);

/// <summary>The app-by-component table: one row per app, one column per component name.</summary>
public sealed record AccessPivot(IReadOnlyList<string> Columns, IReadOnlyList<DaprAccessPivotRow> Rows);

/// <summary>Computes which app can load which component (implemented by the engine). The reads stream their entries and stop when <c>cancellationToken</c> is cancelled.</summary>
public interface IAccessMatrixService
{
    /// <summary>For each namespace, every Dapr app-id of its workloads against every component.</summary>
    IAsyncEnumerable<DaprAccessEntry> FromClusterAsync(IClusterConnection cluster, AccessMatrixQuery query, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>The same from manifest files: app-ids from the workloads, components and Configurations found in them.</summary>
    IAsyncEnumerable<DaprAccessEntry> FromManifestsAsync(IReadOnlyList<string> paths, AccessMatrixQuery query, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Turns entries into one row per (namespace, app) with one column per component name.</summary>
    AccessPivot Pivot(IEnumerable<DaprAccessEntry> entries);
}
