using DaprSecurity.Output;

namespace DaprSecurity.Commands;

/// <summary>
/// Objects of a reader's own kind piped in (its own output, or kubectl items of that kind), per cluster and each once
/// (by namespace and name): the reader reads exactly these at the end, instead of every object of their namespaces.
/// </summary>
internal sealed class PipedObjects<TObject>
    where TObject : DaprClusterObject
{
    private readonly Func<TObject, (string Namespace, string Name)> _identity;
    private readonly List<(TargetCluster Cluster, List<TObject> Objects)> _clusters = new();

    public PipedObjects(Func<TObject, (string Namespace, string Name)> identity) => _identity = identity;

    public void Add(TargetCluster cluster, IEnumerable<TObject> objects)
    {
        var index = _clusters.FindIndex(c => c.Cluster == cluster);
        if (index < 0)
        {
            _clusters.Add((cluster, new List<TObject>()));
            index = _clusters.Count - 1;
        }

        var list = _clusters[index].Objects;
        list.AddRange(objects.Where(o => !list.Any(known => _identity(known) == _identity(o))).ToList());
    }

    /// <summary>The objects piped from <paramref name="cluster"/>.</summary>
    public IReadOnlyList<TObject> In(TargetCluster cluster)
        => _clusters.Where(c => c.Cluster == cluster).SelectMany(c => c.Objects).ToList();

    /// <summary>
    /// Reads the piped objects of one cluster with one read (<paramref name="read"/> over their namespaces and names, a
    /// superset) and keeps exactly those; <paramref name="missing"/> reports each that is not there.
    /// </summary>
    public async IAsyncEnumerable<TResult> Select<TResult>(TargetCluster cluster, Func<IReadOnlyList<string>, IReadOnlyList<string>, IAsyncEnumerable<TResult>> read, Func<TResult, (string Namespace, string Name)> identity, Action<(string Namespace, string Name)> missing)
    {
        var wanted = In(cluster).Select(_identity).ToList();
        if (wanted.Count == 0)
        {
            yield break;
        }

        var found = new HashSet<(string, string)>();
        await foreach (var result in read(wanted.Select(w => w.Namespace).Distinct().ToList(), wanted.Select(w => w.Name).Distinct().ToList()).ConfigureAwait(false))
        {
            if (wanted.Contains(identity(result)) && found.Add(identity(result)))
            {
                yield return result;
            }
        }

        foreach (var absent in wanted.Where(w => !found.Contains(w)))
        {
            missing(absent);
        }
    }
}
