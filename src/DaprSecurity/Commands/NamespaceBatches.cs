namespace DaprSecurity.Commands;

/// <summary>
/// Namespaces collected from every pipeline object, grouped by what is to be done with them and where (<typeparamref name="TKey"/>,
/// which includes the cluster), so a command resolves them all with one namespace list per cluster at the end instead of
/// one per object, and names each namespace once however many piped objects name it. Keeps arrival order.
/// </summary>
internal sealed class NamespaceBatches<TKey>
    where TKey : notnull
{
    private readonly List<(TKey Key, List<string> Namespaces)> _batches = new();

    public void Add(TKey key, IEnumerable<string> namespaces)
    {
        var batch = _batches.FindIndex(b => EqualityComparer<TKey>.Default.Equals(b.Key, key));
        if (batch < 0)
        {
            _batches.Add((key, new List<string>()));
            batch = _batches.Count - 1;
        }

        var list = _batches[batch].Namespaces;
        list.AddRange(namespaces.Where(n => !list.Contains(n, StringComparer.Ordinal)));
    }

    public IEnumerable<(TKey Key, IReadOnlyList<string> Namespaces)> All => _batches.Select(b => (b.Key, (IReadOnlyList<string>)b.Namespaces));
}
