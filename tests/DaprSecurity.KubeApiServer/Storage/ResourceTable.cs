namespace DaprSecurity.KubeApiServer.Storage;

/// <summary>
/// The objects of one resource in etcd key order (namespace, then name, ordinal), grouped by namespace so that a
/// namespaced read touches only its namespace — which keeps controllers fast with a thousand namespaces.
/// </summary>
internal sealed class ResourceTable
{
    private readonly SortedDictionary<string, SortedDictionary<string, StoredObject>> _byNamespace = new(StringComparer.Ordinal);

    public StoredObject? Get(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var names) ? names.GetValueOrDefault(name) : null;

    /// <summary>Stores <paramref name="stored"/>; true when it replaced an existing version.</summary>
    public bool Set(StoredObject stored)
    {
        if (!_byNamespace.TryGetValue(stored.Key.Namespace, out var names))
        {
            names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _byNamespace.Add(stored.Key.Namespace, names);
        }
        var replaced = names.ContainsKey(stored.Key.Name);
        names[stored.Key.Name] = stored;
        return replaced;
    }

    public StoredObject? Remove(string ns, string name)
    {
        if (!_byNamespace.TryGetValue(ns, out var names) || !names.Remove(name, out var removed))
        {
            return null;
        }
        if (names.Count == 0)
        {
            _byNamespace.Remove(ns);
        }
        return removed;
    }

    /// <summary>Objects in key order, in one namespace or all, strictly after <paramref name="after"/> when given.</summary>
    public IEnumerable<StoredObject> Scan(string? ns, (string Namespace, string Name)? after = null)
    {
        IEnumerable<KeyValuePair<string, SortedDictionary<string, StoredObject>>> namespaces = string.IsNullOrEmpty(ns)
            ? _byNamespace
            : _byNamespace.TryGetValue(ns, out var only) ? [new(ns, only)] : [];
        foreach (var (space, names) in namespaces)
        {
            var order = after is { } start ? string.CompareOrdinal(space, start.Namespace) : 1;
            if (order < 0)
            {
                continue;
            }
            foreach (var (name, stored) in names)
            {
                if (order > 0 || string.CompareOrdinal(name, after!.Value.Name) > 0)
                {
                    yield return stored;
                }
            }
        }
    }
}
