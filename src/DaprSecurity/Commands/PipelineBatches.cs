namespace DaprSecurity.Commands;

/// <summary>
/// Pipeline input collected from every pipeline object, grouped by what is to be done with it and where
/// (<typeparamref name="TKey"/>: the cluster and the command's settings, or a manifest file), so a command runs once per
/// group at the end instead of once per object: one namespace list, one cluster snapshot, one read and write of a file.
/// Each item is kept once however many objects name it; groups and items keep their arrival order.
/// </summary>
internal sealed class PipelineBatches<TKey, TItem>
    where TKey : notnull
{
    private readonly List<(TKey Key, List<TItem> Items)> _batches = new();

    public void Add(TKey key, IEnumerable<TItem> items)
    {
        var batch = _batches.FindIndex(b => EqualityComparer<TKey>.Default.Equals(b.Key, key));
        if (batch < 0)
        {
            _batches.Add((key, new List<TItem>()));
            batch = _batches.Count - 1;
        }

        var list = _batches[batch].Items;
        list.AddRange(items.Where(i => !list.Contains(i)).Distinct());
    }

    public IReadOnlyList<(TKey Key, IReadOnlyList<TItem> Items)> All => _batches.Select(b => (b.Key, (IReadOnlyList<TItem>)b.Items)).ToList();
}
