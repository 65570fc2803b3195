namespace DaprSecurity.Commands;

/// <summary>
/// Namespaces collected from every pipeline object, grouped by what is to be done with them (<typeparamref name="TKey"/>),
/// so a command resolves them all with one namespace list at the end instead of one per object. Keeps arrival order.
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

        _batches[batch].Namespaces.AddRange(namespaces);
    }

    public IEnumerable<(TKey Key, IReadOnlyList<string> Namespaces)> All => _batches.Select(b => (b.Key, (IReadOnlyList<string>)b.Namespaces));
}
