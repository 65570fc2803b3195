using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Engine.Workloads;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// The Dapr side of some namespaces, a namespace at a time: components, Configurations and the apps of the Dapr-enabled
/// workloads. Each kind is one paged list in one namespace or across the cluster, never one call per namespace, read
/// together in a <see cref="NamespaceMerge"/> with the workload lists of <see cref="NamespaceWorkloads"/>: a namespace is
/// handed out as soon as every list has passed it, while later pages are still being read, so only the namespaces not
/// yet handed out are held in memory.
/// </summary>
internal static class ClusterSnapshot
{
    /// <summary>True when <paramref name="patterns"/> select every namespace (null or "*").</summary>
    public static bool ReadsAll(IReadOnlyList<string>? patterns) => patterns is null || patterns.Contains("*");

    /// <summary>
    /// The namespaces <paramref name="patterns"/> select (see <see cref="ReadsAll"/>), each as soon as every list has
    /// passed it, in ordinal order: with patterns, every namespace selected (patterns that select nothing are reported
    /// as errors); for all, every namespace, listed alongside the other lists (when the namespaces may not be listed,
    /// the namespaces the lists hold, see <see cref="NamespaceMerge"/>). Without <paramref name="configurations"/>,
    /// none are read; with <paramref name="appsOptional"/>, workloads that may not be listed cost one warning (written
    /// as soon as that is known, before any namespace without apps) and leave each namespace's apps null.
    /// </summary>
    public static async IAsyncEnumerable<NamespaceSnapshot> ReadAsync(ClusterConnection cluster, IReadOnlyList<string>? patterns, bool configurations, bool appsOptional, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = ReadsAll(patterns);
        var selecting = all ? EveryAsync(cluster, cancellationToken) : OrderedAsync(new NamespaceSelector(cluster).SelectAsync(patterns!.ToList(), host, cancellationToken));
        if (!all && !NamespaceSelector.MaySelectMany(patterns!))
        {
            await selecting.ConfigureAwait(false); // one namespace: read alone, once it is known
        }

        var merge = new NamespaceMerge(selecting, cancellationToken);
        var warned = Task.CompletedTask;
        try
        {
            var components = merge.Add((scope, ct) => PagesAsync(cluster, DaprResource.Component, scope, Paging.Limit, ct), NamespaceOf);
            var configurationList = configurations ? merge.Add((scope, ct) => PagesAsync(cluster, DaprResource.Configuration, scope, Paging.Limit, ct), NamespaceOf) : null;
            var workloads = NamespaceWorkloads.ReadWith(merge, cluster, withPods: false, appsOptional ? e => e.Is(DaprErrors.KubeApiForbidden) : null);
            warned = appsOptional ? WarnUnavailableAsync(workloads, host) : warned;
            await foreach (var ns in merge.NamespacesAsync().ConfigureAwait(false))
            {
                var apps = workloads.Take(ns)?.Select(DaprApp.From).OfType<DaprApp>().ToList();
                if (apps is null)
                {
                    await warned.ConfigureAwait(false); // the warning comes before the first result it concerns
                }

                yield return new NamespaceSnapshot(
                    ns,
                    components.Take(ns)!.Select(json => new ComponentDocument(json)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList(),
                    configurationList?.Take(ns)!.Select(json => new ConfigurationDocument(json)).ToList() ?? new List<ConfigurationDocument>(),
                    apps);
            }
        }
        finally
        {
            await merge.DisposeAsync().ConfigureAwait(false);
            await warned.ConfigureAwait(false);
        }
    }

    /// <summary>The components of one namespace.</summary>
    public static async Task<IReadOnlyList<ComponentDocument>> ComponentsAsync(ClusterConnection cluster, string @namespace, CancellationToken cancellationToken)
        => (await Paging.CollectAsync(PagesAsync(cluster, DaprResource.Component, @namespace, _ => Paging.PageSize, cancellationToken)).ConfigureAwait(false)).Select(json => new ComponentDocument(json)).ToList();

    /// <summary>The apps of one namespace's Dapr workloads; null (with a warning) when workloads may not be listed.</summary>
    public static async Task<IReadOnlyList<DaprApp>?> AppsAsync(ClusterConnection cluster, string @namespace, IEngineHost host, CancellationToken cancellationToken)
    {
        try
        {
            var workloads = await new WorkloadCatalog(cluster).ListAsync(@namespace, daprEnabledOnly: true, cancellationToken).ConfigureAwait(false);
            return workloads.Select(DaprApp.From).OfType<DaprApp>().ToList();
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
        {
            Warn(e, host);
            return null;
        }
    }

    private static void Warn(DaprSecurityException e, IEngineHost host) => host.WriteWarning($"Scopes are not checked against app-ids: {e.Message}");

    /// <summary>Writes the warning once every workload list is complete, when one of them could not be read.</summary>
    private static async Task WarnUnavailableAsync(NamespaceWorkloads workloads, IEngineHost host)
    {
        if (await workloads.UnavailableAsync().ConfigureAwait(false) is { } e)
        {
            Warn(e, host);
        }
    }

    /// <summary>Every namespace, in ordinal order; null when they cannot be listed (the lists then say what is wrong, or hold the namespaces).</summary>
    private static async Task<IReadOnlyList<string>?> EveryAsync(ClusterConnection cluster, CancellationToken cancellationToken)
    {
        try
        {
            var selection = await new NamespaceSelector(cluster).SelectAsync(new[] { "*" }, cancellationToken).ConfigureAwait(false);
            return selection.Errors.Count > 0 ? null : selection.Namespaces.Select(ns => ns.Name()).Order(StringComparer.Ordinal).ToList();
        }
        catch (DaprSecurityException)
        {
            return null;
        }
    }

    private static async Task<IReadOnlyList<string>?> OrderedAsync(Task<IReadOnlyList<V1Namespace>> namespaces)
        => (await namespaces.ConfigureAwait(false)).Select(ns => ns.Name()).Order(StringComparer.Ordinal).ToList();

    private static string NamespaceOf(JsonObject json) => JsonText.Of(json, "metadata", "namespace") ?? "";

    /// <summary>One kind of Dapr resource in <paramref name="namespace"/> (all namespaces when null), a page at a time; a cluster that does not serve it is DaprNotInstalled.</summary>
    private static IAsyncEnumerable<IList<JsonObject>> PagesAsync(ClusterConnection cluster, DaprResource resource, string? @namespace, Func<string?, int> limit, CancellationToken cancellationToken)
    {
        var target = $"{resource.Plural}.{DaprResource.Group} in {(@namespace is null ? "all namespaces" : "namespace " + @namespace)}";
        return Paging.PagesAsync(
            async (token, ct) =>
            {
                try
                {
                    return await cluster.CallAsync(
                        (c, t) => @namespace is null
                            ? c.CustomObjects.ListClusterCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, resource.Plural, continueParameter: token, limit: limit(token), cancellationToken: t)
                            : c.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, @namespace, resource.Plural, continueParameter: token, limit: limit(token), cancellationToken: t),
                        target,
                        ct).ConfigureAwait(false);
                }
                catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiNotFound))
                {
                    throw DaprErrors.DaprNotInstalled.Raise($"The cluster serves no {resource.Plural}.{DaprResource.Group}/{DaprResource.Version}: Dapr's custom resources are not installed ({cluster.Server}).", cluster.ContextName, e);
                }
            },
            page => (page["items"] as JsonArray)?.OfType<JsonObject>().ToList(),
            page => JsonText.Of(page, "metadata", "continue"),
            cancellationToken);
    }
}
