using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Engine.Workloads;
using k8s;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// The Dapr side of some namespaces, read in parallel: components, Configurations and the apps of the Dapr-enabled
/// workloads. Each kind is one paged list call in one namespace or across the cluster (then filtered), never one
/// call per namespace.
/// </summary>
/// <param name="Namespaces">The namespaces read; null for all.</param>
/// <param name="Apps">Null when the workloads could not be listed and the caller could do without them.</param>
internal sealed record ClusterSnapshot(IReadOnlyList<string>? Namespaces, IReadOnlyList<ComponentDocument> Components, IReadOnlyList<ConfigurationDocument> Configurations, IReadOnlyList<DaprApp>? Apps)
{
    /// <summary>
    /// Reads the namespaces <paramref name="patterns"/> select (null or "*": all). Patterns that select nothing are
    /// reported as errors; null when none is left. Without <paramref name="configurations"/>, none are read; with
    /// <paramref name="appsOptional"/>, workloads that may not be listed only cost a warning.
    /// </summary>
    public static async Task<ClusterSnapshot?> ReadAsync(ClusterConnection cluster, IReadOnlyList<string>? patterns, bool configurations, bool appsOptional, IEngineHost host, CancellationToken cancellationToken)
    {
        var namespaces = await SelectNamespacesAsync(cluster, patterns, host, cancellationToken).ConfigureAwait(false);
        if (namespaces is { Count: 0 })
        {
            return null;
        }

        // Started together and awaited together, so a failure of one never leaves another unobserved.
        var components = ListAsync(cluster, DaprResource.Component, namespaces, cancellationToken);
        var configurationList = configurations ? ListAsync(cluster, DaprResource.Configuration, namespaces, cancellationToken) : Task.FromResult<IReadOnlyList<JsonObject>>(Array.Empty<JsonObject>());
        var apps = appsOptional ? AppsOrWarningAsync(cluster, namespaces, host, cancellationToken) : RequiredAppsAsync();
        async Task<IReadOnlyList<DaprApp>?> RequiredAppsAsync() => await ListAppsAsync(cluster, namespaces, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(components, configurationList, apps).ConfigureAwait(false);
        return new ClusterSnapshot(
            namespaces,
            (await components.ConfigureAwait(false)).Select(json => new ComponentDocument(json)).OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
            (await configurationList.ConfigureAwait(false)).Select(json => new ConfigurationDocument(json)).ToList(),
            await apps.ConfigureAwait(false));
    }

    /// <summary>The components of one namespace.</summary>
    public static async Task<IReadOnlyList<ComponentDocument>> ComponentsAsync(ClusterConnection cluster, string @namespace, CancellationToken cancellationToken)
        => (await ListAsync(cluster, DaprResource.Component, new[] { @namespace }, cancellationToken).ConfigureAwait(false)).Select(json => new ComponentDocument(json)).ToList();

    /// <summary>The apps of one namespace's Dapr workloads; null (with a warning) when workloads may not be listed.</summary>
    public static Task<IReadOnlyList<DaprApp>?> AppsAsync(ClusterConnection cluster, string @namespace, IEngineHost host, CancellationToken cancellationToken)
        => AppsOrWarningAsync(cluster, new[] { @namespace }, host, cancellationToken);

    private static async Task<IReadOnlyList<string>?> SelectNamespacesAsync(ClusterConnection cluster, IReadOnlyList<string>? patterns, IEngineHost host, CancellationToken cancellationToken)
    {
        if (patterns is null || patterns.Contains("*"))
        {
            return null;
        }

        var selected = await new NamespaceSelector(cluster).SelectAsync(patterns.ToList(), host, cancellationToken).ConfigureAwait(false);
        return selected.Select(ns => ns.Metadata.Name).ToList();
    }

    private static async Task<IReadOnlyList<JsonObject>> ListAsync(ClusterConnection cluster, DaprResource resource, IReadOnlyList<string>? namespaces, CancellationToken cancellationToken)
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
                page => JsonText.Of(page, "metadata", "continue"),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiNotFound))
        {
            throw DaprErrors.DaprNotInstalled.Raise($"The cluster serves no {resource.Plural}.{DaprResource.Group}/{DaprResource.Version}: Dapr's custom resources are not installed ({cluster.Server}).", cluster.ContextName, e);
        }

        return namespaces is null || single is not null
            ? items
            : items.Where(i => namespaces.Contains(JsonText.Of(i, "metadata", "namespace") ?? "", StringComparer.Ordinal)).ToList();
    }

    private static async Task<IReadOnlyList<DaprApp>> ListAppsAsync(ClusterConnection cluster, IReadOnlyList<string>? namespaces, CancellationToken cancellationToken)
    {
        var single = namespaces is { Count: 1 } ? namespaces[0] : null;
        var workloads = await new WorkloadCatalog(cluster).ListAsync(single, daprEnabledOnly: true, cancellationToken).ConfigureAwait(false);
        return workloads
            .Where(w => namespaces is null || namespaces.Contains(w.Namespace, StringComparer.Ordinal))
            .Select(DaprApp.From)
            .OfType<DaprApp>()
            .ToList();
    }

    private static async Task<IReadOnlyList<DaprApp>?> AppsOrWarningAsync(ClusterConnection cluster, IReadOnlyList<string>? namespaces, IEngineHost host, CancellationToken cancellationToken)
    {
        try
        {
            return await ListAppsAsync(cluster, namespaces, cancellationToken).ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
        {
            host.WriteWarning($"Scopes are not checked against app-ids: {e.Message}");
            return null;
        }
    }
}
