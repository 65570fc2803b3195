using System.Runtime.CompilerServices;
using DaprSecurity.Engine.Kubernetes;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// The workloads of many namespaces, Dapr-enabled or not (and, when asked, the injected pods), read with one paged list per
/// kind and handed out a namespace at a time, in the caller's order (workloads by kind then name), as soon as every
/// list has passed that namespace (see <see cref="NamespaceList"/>), while later pages are still being read. The lists
/// are cluster-wide and start at once, while the namespaces are still being selected (the namespace list is then no
/// round trip before them); only namespaces selected already and only one are read with a namespaced list. Only
/// namespaces not yet handed out are held in memory; every namespace selected is handed out, with or without workloads.
/// </summary>
internal static class NamespaceWorkloads
{
    public static async IAsyncEnumerable<(string Namespace, IReadOnlyList<Workload> Workloads, IReadOnlyList<V1Pod> Pods)> ReadAsync(ClusterConnection cluster, Task<IReadOnlyList<string>> selecting, bool withPods, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var known = selecting.IsCompletedSuccessfully ? selecting.Result : null;
        if (known is { Count: 0 })
        {
            yield break;
        }

        var scope = known is { Count: 1 } ? known[0] : null;
        var catalog = new WorkloadCatalog(cluster);
        using var changed = new SemaphoreSlim(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var kinds = WorkloadCatalog.Kinds.Select(_ => new NamespaceList<Workload>(null, w => w.Namespace, changed)).ToList();
        var pods = new NamespaceList<V1Pod>(null, p => p.Namespace(), changed);
        var lists = kinds.ToList<NamespaceList>();
        var reads = WorkloadCatalog.Kinds.Select((kind, i) => FillAsync(kinds[i], catalog.PagesAsync(kind, scope, stop.Token), scope is null)).ToList();
        if (withPods)
        {
            lists.Add(pods);
            reads.Add(FillAsync(pods, catalog.DaprPodPagesAsync(scope, stop.Token), scope is null));
        }

        try
        {
            var wanted = (await selecting.ConfigureAwait(false)).Distinct(StringComparer.Ordinal).ToList();
            if (wanted.Count == 0)
            {
                yield break; // the lists started for nothing are stopped below
            }

            var selected = wanted.ToHashSet(StringComparer.Ordinal);
            kinds.ForEach(l => l.Want(selected));
            pods.Want(selected);
            foreach (var ns in wanted)
            {
                while (!lists.All(l => l.HasPassed(ns)))
                {
                    await changed.WaitAsync(stop.Token).ConfigureAwait(false);
                }

                if (lists.FindIndex(l => l.Error is not null) is var failed and >= 0)
                {
                    await reads[failed].ConfigureAwait(false); // rethrows why that list could not be read
                }

                var workloads = kinds.SelectMany(l => l.Take(ns)!)
                    .OrderBy(w => w.Kind).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
                yield return (ns, workloads, pods.Take(ns)!);
            }

            // A list may have passed the last namespace and failed on a later page: that still surfaces.
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        finally
        {
            await NamespaceList.StopAsync(stop, reads).ConfigureAwait(false);
        }
    }

    private static async Task FillAsync<T>(NamespaceList<T> list, IAsyncEnumerable<IList<T>> pages, bool ordered)
    {
        string? error = "not read to the end";
        try
        {
            await foreach (var page in pages.ConfigureAwait(false))
            {
                list.Add(page, ordered);
            }

            error = null;
        }
        finally
        {
            list.Complete(error);
        }
    }
}
