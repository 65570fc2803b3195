using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

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
