using System.Runtime.CompilerServices;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// The workloads of many namespaces, Dapr-enabled or not (and, when asked, the injected pods), read with one paged list per
/// kind in a <see cref="NamespaceMerge"/> and handed out a namespace at a time, in the caller's order (workloads by kind
/// then name), as soon as every list has passed that namespace, while later pages are still being read. The lists are
/// cluster-wide and start at once, while the namespaces are still being selected (the namespace list is then no round
/// trip before them); only namespaces selected already and only one are read with a namespaced list. Only namespaces not
/// yet handed out are held in memory; every namespace selected is handed out, with or without workloads. Other lists
/// (the Dapr resources of the scope cmdlets) can be read in the same merge: <see cref="ReadWith"/>.
/// </summary>
internal sealed class NamespaceWorkloads
{
    private readonly IReadOnlyList<NamespaceList<Workload>> _kinds;
    private readonly NamespaceList<V1Pod>? _pods;

    private NamespaceWorkloads(IReadOnlyList<NamespaceList<Workload>> kinds, NamespaceList<V1Pod>? pods) => (_kinds, _pods) = (kinds, pods);

    public static async IAsyncEnumerable<(string Namespace, IReadOnlyList<Workload> Workloads, IReadOnlyList<V1Pod> Pods)> ReadAsync(ClusterConnection cluster, Task<IReadOnlyList<string>> selecting, bool withPods, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var merge = new NamespaceMerge(MayBeNullAsync(selecting), cancellationToken);
        try
        {
            var workloads = ReadWith(merge, cluster, withPods, tolerated: null);
            await foreach (var ns in merge.NamespacesAsync().ConfigureAwait(false))
            {
                yield return (ns, workloads.Take(ns)!, workloads.TakePods(ns)!);
            }
        }
        finally
        {
            await merge.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Completes with <paramref name="selecting"/> (at once when it has).</summary>
    private static async Task<IReadOnlyList<string>?> MayBeNullAsync(Task<IReadOnlyList<string>> selecting) => await selecting.ConfigureAwait(false);

    /// <summary>
    /// Adds one list per kind (and, <paramref name="withPods"/>, the injected pods) to <paramref name="merge"/>. A failure
    /// <paramref name="tolerated"/> accepts leaves the workloads unknown (<see cref="Take"/> is null) instead of failing the merge.
    /// </summary>
    public static NamespaceWorkloads ReadWith(NamespaceMerge merge, ClusterConnection cluster, bool withPods, Func<DaprSecurityException, bool>? tolerated)
    {
        var catalog = new WorkloadCatalog(cluster);
        var kinds = WorkloadCatalog.Kinds.Select(kind => merge.Add((scope, ct) => catalog.PagesAsync(kind, scope, ct), w => w.Namespace, tolerated)).ToList();
        var pods = withPods ? merge.Add(catalog.DaprPodPagesAsync, p => p.Namespace(), tolerated) : null;
        return new NamespaceWorkloads(kinds, pods);
    }

    /// <summary>The workloads of <paramref name="namespace"/> by kind then name, handed over once; null when a kind's list was unavailable (or could not be read).</summary>
    public IReadOnlyList<Workload>? Take(string @namespace)
    {
        var taken = _kinds.Select(l => l.Take(@namespace)).ToList();
        return taken.Any(t => t is null) ? null : taken.SelectMany(t => t!).OrderBy(w => w.Kind).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The injected pods of <paramref name="namespace"/> (none without pods); null when their list was unavailable.</summary>
    public IReadOnlyList<V1Pod>? TakePods(string @namespace) => _pods is null ? Array.Empty<V1Pod>() : _pods.Take(@namespace);

    /// <summary>Once every kind's list is complete: why the first (in kind order) that a tolerated failure ended could not be read; null when none.</summary>
    public async Task<DaprSecurityException?> UnavailableAsync()
    {
        await Task.WhenAll(_kinds.Select(l => l.Completion)).ConfigureAwait(false);
        return _kinds.Select(l => l.Unavailable).FirstOrDefault(e => e is not null);
    }
}
