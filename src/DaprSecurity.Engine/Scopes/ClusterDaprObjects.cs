using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Workloads;
using k8s;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Reads Dapr custom resources and the namespaces to look in.</summary>
internal static class ClusterDaprObjects
{
    /// <summary>
    /// The namespaces <paramref name="patterns"/> select, or null for all (no patterns, or "*"). Patterns that select
    /// nothing are reported as errors and skipped.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> SelectNamespacesAsync(ClusterConnection cluster, IReadOnlyList<string>? patterns, IEngineHost host)
    {
        if (patterns is null || patterns.Contains("*"))
        {
            return null;
        }

        var selection = await new NamespaceSelector(cluster).SelectAsync(patterns.ToList(), host.CancellationToken).ConfigureAwait(false);
        foreach (var error in selection.Errors)
        {
            host.WriteError(error);
        }

        return selection.Namespaces.Select(ns => ns.Metadata.Name).ToList();
    }

    /// <summary>
    /// Every object of <paramref name="resource"/> in <paramref name="namespaces"/> (null: all): one paged call in one
    /// namespace or across the cluster (then filtered), never one per namespace.
    /// </summary>
    public static async Task<IReadOnlyList<JsonObject>> ListAsync(ClusterConnection cluster, DaprResource resource, IReadOnlyList<string>? namespaces, CancellationToken cancellationToken)
    {
        var single = namespaces is { Count: 1 } ? namespaces[0] : null;
        var target = $"{resource.Plural}.{DaprResource.Group} in {(single is null ? "all namespaces" : "namespace " + single)}";
        IReadOnlyList<JsonObject> items;
        try
        {
            items = await Paging.ListAllAsync(
                (token, ct) => cluster.CallAsync(
                    (c, t) => single is null
                        ? c.CustomObjects.ListClusterCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, resource.Plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t)
                        : c.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, single, resource.Plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
                    target,
                    ct),
                page => (page["items"] as JsonArray)?.OfType<JsonObject>().ToList(),
                page => JsonText.Of(page["metadata"]?["continue"]),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.ErrorId == "KubeApiNotFound")
        {
            throw new DaprSecurityException("DaprNotInstalled", DaprErrorCategory.ObjectNotFound, $"The cluster serves no {resource.Plural}.{DaprResource.Group}/{DaprResource.Version}: Dapr's custom resources are not installed ({cluster.Server}).", cluster.ContextName, e);
        }

        return namespaces is null || single is not null
            ? items
            : items.Where(i => namespaces.Contains(JsonText.Of(i["metadata"]?["namespace"]) ?? "", StringComparer.Ordinal)).ToList();
    }

    /// <summary>The Dapr apps of the workloads in <paramref name="namespaces"/> (null: all), from the shared workload catalog.</summary>
    public static async Task<IReadOnlyList<DaprApp>> ListAppsAsync(ClusterConnection cluster, IReadOnlyList<string>? namespaces, CancellationToken cancellationToken)
    {
        var single = namespaces is { Count: 1 } ? namespaces[0] : null;
        var workloads = await new WorkloadCatalog(cluster).ListAsync(single, daprEnabledOnly: true, cancellationToken).ConfigureAwait(false);
        return workloads
            .Where(w => namespaces is null || namespaces.Contains(w.Namespace, StringComparer.Ordinal))
            .Select(DaprApp.From)
            .OfType<DaprApp>()
            .ToList();
    }
}
