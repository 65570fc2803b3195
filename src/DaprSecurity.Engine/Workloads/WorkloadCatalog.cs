using System.Text.Json;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Reads and patches the workloads Dapr runs in. Listing is one paged call per kind (cluster-wide or for one
/// namespace), never one per namespace, so it stays cheap on clusters with thousands of namespaces.
/// </summary>
public sealed class WorkloadCatalog
{
    private readonly ClusterConnection _cluster;

    public WorkloadCatalog(ClusterConnection cluster) => _cluster = cluster;

    /// <summary>The kinds Dapr runs in, in the order their workloads are listed.</summary>
    public static IReadOnlyList<DaprWorkloadKind> Kinds { get; } = new[] { DaprWorkloadKind.Deployment, DaprWorkloadKind.StatefulSet, DaprWorkloadKind.DaemonSet };

    /// <summary>Deployments, StatefulSets and DaemonSets in <paramref name="namespace"/> (all namespaces when null).</summary>
    public async Task<IReadOnlyList<Workload>> ListAsync(string? @namespace, bool daprEnabledOnly, CancellationToken cancellationToken)
    {
        var all = (await Task.WhenAll(Kinds.Select(kind => Paging.CollectAsync(PagesAsync(kind, @namespace, cancellationToken)))).ConfigureAwait(false)).SelectMany(list => list);
        return all.Where(w => !daprEnabledOnly || w.IsDaprEnabled)
            .OrderBy(w => w.Namespace, StringComparer.Ordinal)
            .ThenBy(w => w.Kind)
            .ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The workloads of one kind in <paramref name="namespace"/> (all namespaces when null), a page at a time.</summary>
    public IAsyncEnumerable<IList<Workload>> PagesAsync(DaprWorkloadKind kind, string? @namespace, CancellationToken cancellationToken)
    {
        string Target(string plural) => ListTarget(plural, @namespace);
        return kind switch
        {
            DaprWorkloadKind.Deployment => PagesAsync(
                (c, token, ct) => @namespace is null
                    ? c.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: ct)
                    : c.AppsV1.ListNamespacedDeploymentAsync(@namespace, continueParameter: token, limit: Paging.PageSize, cancellationToken: ct),
                page => page.Items, page => page.Metadata?.ContinueProperty, Workload.From, Target("deployments"), cancellationToken),
            DaprWorkloadKind.StatefulSet => PagesAsync(
                (c, token, ct) => @namespace is null
                    ? c.AppsV1.ListStatefulSetForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: ct)
                    : c.AppsV1.ListNamespacedStatefulSetAsync(@namespace, continueParameter: token, limit: Paging.PageSize, cancellationToken: ct),
                page => page.Items, page => page.Metadata?.ContinueProperty, Workload.From, Target("statefulsets"), cancellationToken),
            DaprWorkloadKind.DaemonSet => PagesAsync(
                (c, token, ct) => @namespace is null
                    ? c.AppsV1.ListDaemonSetForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: ct)
                    : c.AppsV1.ListNamespacedDaemonSetAsync(@namespace, continueParameter: token, limit: Paging.PageSize, cancellationToken: ct),
                page => page.Items, page => page.Metadata?.ContinueProperty, Workload.From, Target("daemonsets"), cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>
    /// The workloads of <paramref name="namespaces"/>: one namespaced list for a single namespace, otherwise one
    /// cluster-wide list filtered here (cheaper than a list per namespace).
    /// </summary>
    public async Task<IReadOnlyList<Workload>> ListInNamespacesAsync(IReadOnlyCollection<string> namespaces, bool daprEnabledOnly, CancellationToken cancellationToken)
    {
        if (namespaces.Count == 0)
        {
            return Array.Empty<Workload>();
        }

        if (namespaces.Count == 1)
        {
            return await ListAsync(namespaces.First(), daprEnabledOnly, cancellationToken).ConfigureAwait(false);
        }

        var wanted = namespaces.ToHashSet(StringComparer.Ordinal);
        return (await ListAsync(null, daprEnabledOnly, cancellationToken).ConfigureAwait(false)).Where(w => wanted.Contains(w.Namespace)).ToList();
    }

    /// <summary>
    /// How many Dapr-enabled workloads each of <paramref name="namespaces"/> runs (absent when none), from the list calls
    /// <see cref="ListInNamespacesAsync"/> makes but read as plain JSON for the two fields this needs: typing every
    /// workload's whole pod spec costs a fresh process about 0.3 s of JIT compilation before its first answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> CountDaprEnabledAsync(IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken)
    {
        if (namespaces.Count == 0)
        {
            return new Dictionary<string, int>();
        }

        var scope = namespaces.Count == 1 ? namespaces.First() : null;
        var lists = await Task.WhenAll(Kinds.Select(kind => Paging.CollectAsync(DaprEnabledNamespacePagesAsync(kind, scope, cancellationToken)))).ConfigureAwait(false);
        var wanted = namespaces.ToHashSet(StringComparer.Ordinal);
        return lists.SelectMany(list => list)
            .Where(wanted.Contains)
            .GroupBy(ns => ns, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>One workload, read fresh.</summary>
    public async Task<Workload> GetAsync(DaprWorkloadKind kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        var target = $"{kind} {@namespace}/{name}";
        return kind switch
        {
            DaprWorkloadKind.Deployment => Workload.From(await _cluster.CallAsync((c, ct) => c.AppsV1.ReadNamespacedDeploymentAsync(name, @namespace, cancellationToken: ct), target, cancellationToken).ConfigureAwait(false)),
            DaprWorkloadKind.StatefulSet => Workload.From(await _cluster.CallAsync((c, ct) => c.AppsV1.ReadNamespacedStatefulSetAsync(name, @namespace, cancellationToken: ct), target, cancellationToken).ConfigureAwait(false)),
            DaprWorkloadKind.DaemonSet => Workload.From(await _cluster.CallAsync((c, ct) => c.AppsV1.ReadNamespacedDaemonSetAsync(name, @namespace, cancellationToken: ct), target, cancellationToken).ConfigureAwait(false)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>Pods the Dapr injector has injected (label <c>dapr.io/sidecar-injected=true</c>), in one namespace or all.</summary>
    public Task<IReadOnlyList<V1Pod>> ListDaprPodsAsync(string? @namespace, CancellationToken cancellationToken)
        => Paging.CollectAsync(DaprPodPagesAsync(@namespace, cancellationToken));

    /// <summary>The pods of <see cref="ListDaprPodsAsync"/>, a page at a time.</summary>
    public IAsyncEnumerable<IList<V1Pod>> DaprPodPagesAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var selector = DaprAnnotations.SidecarInjectedLabel + "=true";
        return Paging.PagesAsync(
            (token, ct) => _cluster.CallAsync(
                (c, t) => @namespace is null
                    ? c.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, continueParameter: token, limit: Paging.PageSize, cancellationToken: t)
                    : c.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: selector, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
                @namespace is null ? "pods in all namespaces" : $"pods in namespace {@namespace}",
                ct),
            page => page.Items,
            page => page.Metadata?.ContinueProperty,
            cancellationToken);
    }

    /// <summary>Applies a JSON merge patch (RFC 7386) to the workload and returns it as the server now has it.</summary>
    public async Task<Workload> PatchTemplateAsync(Workload workload, JsonObject mergePatch, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch);
        var (ns, name) = (workload.Namespace, workload.Name);
        return workload.Kind switch
        {
            DaprWorkloadKind.Deployment => Workload.From(await _cluster.CallAsync((c, ct) => c.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, cancellationToken: ct), workload.DisplayName, cancellationToken).ConfigureAwait(false)),
            DaprWorkloadKind.StatefulSet => Workload.From(await _cluster.CallAsync((c, ct) => c.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, ns, cancellationToken: ct), workload.DisplayName, cancellationToken).ConfigureAwait(false)),
            DaprWorkloadKind.DaemonSet => Workload.From(await _cluster.CallAsync((c, ct) => c.AppsV1.PatchNamespacedDaemonSetAsync(patch, name, ns, cancellationToken: ct), workload.DisplayName, cancellationToken).ConfigureAwait(false)),
            _ => throw DaprErrors.WorkloadKindUnsupported.Raise($"Cannot patch {workload.DisplayName}.", workload.DisplayName),
        };
    }

    /// <summary>The namespace of each Dapr-enabled workload of one kind, a page at a time (same requests as <see cref="PagesAsync(DaprWorkloadKind, string?, CancellationToken)"/>).</summary>
    private IAsyncEnumerable<IList<string>> DaprEnabledNamespacePagesAsync(DaprWorkloadKind kind, string? @namespace, CancellationToken cancellationToken)
    {
        var plural = kind switch
        {
            DaprWorkloadKind.Deployment => "deployments",
            DaprWorkloadKind.StatefulSet => "statefulsets",
            DaprWorkloadKind.DaemonSet => "daemonsets",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return Paging.PagesAsync(
            (token, ct) => _cluster.CallAsync(
                (c, t) => @namespace is null
                    ? c.CustomObjects.ListCustomObjectForAllNamespacesAsync("apps", "v1", plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t)
                    : c.CustomObjects.ListNamespacedCustomObjectAsync("apps", "v1", @namespace, plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
                ListTarget(plural, @namespace),
                ct),
            page => page is JsonElement { ValueKind: JsonValueKind.Object } list && list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray()
                    .Where(item => DaprAnnotations.IsTruthy(JsonText.StringAt(item, "spec", "template", "metadata", "annotations", DaprAnnotations.Enabled)))
                    .Select(item => JsonText.StringAt(item, "metadata", "namespace") ?? "")
                    .ToList()
                : null,
            page => page is JsonElement list ? JsonText.StringAt(list, "metadata", "continue") : null,
            cancellationToken);
    }

    private static string ListTarget(string plural, string? @namespace) => $"{plural} in {(@namespace is null ? "all namespaces" : $"namespace {@namespace}")}";

    private IAsyncEnumerable<IList<Workload>> PagesAsync<TPage, TItem>(
        Func<IKubernetes, string?, CancellationToken, Task<TPage>> listPage,
        Func<TPage, IList<TItem>?> items,
        Func<TPage, string?> continueToken,
        Func<TItem, Workload> toWorkload,
        string target,
        CancellationToken cancellationToken)
        => Paging.PagesAsync((token, ct) => _cluster.CallAsync((c, t) => listPage(c, token, t), target, ct), page => items(page)?.Select(toWorkload).ToList(), continueToken, cancellationToken);
}
