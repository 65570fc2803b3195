using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;

namespace DaprSecurity.KubeApiServer.Storage;

/// <summary>A page of a list: items in (namespace, name) order, the revision it was read at, and how many more match.</summary>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long Revision, int Remaining);

/// <summary>
/// The etcd of the emulator: objects keyed by (group, resource, namespace, name), one global revision counter that
/// becomes every object's resourceVersion, a bounded event log and live watch feeds. One lock guards everything;
/// <see cref="Atomically{T}"/> lets callers run a read-check-write sequence under it.
/// </summary>
public sealed class ObjectStore(int eventLogCapacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Group, string Resource), ResourceTable> _tables = [];
    private readonly EventLog _log = new(eventLogCapacity);
    private readonly List<WatchSubscription> _subscriptions = [];
    private long _revision;

    public long CurrentRevision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Watches and continue tokens from before this revision have expired (410), as after an etcd compaction.</summary>
    public long OldestResumableRevision
    {
        get
        {
            lock (_gate)
            {
                return _log.OldestResumableRevision;
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/> under the store lock (re-entrant), so nothing changes in between its steps.</summary>
    public T Atomically<T>(Func<T> operation)
    {
        lock (_gate)
        {
            return operation();
        }
    }

    public StoredObject? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return Table(key).Get(key.Namespace, key.Name);
        }
    }

    /// <summary>A private, mutable copy of the current object, or null.</summary>
    public JsonObject? GetCopy(ObjectKey key)
    {
        lock (_gate)
        {
            return Get(key)?.Node.DeepClone().AsObject();
        }
    }

    public bool Exists(ObjectKey key) => Get(key) is not null;

    /// <summary>
    /// Lists one resource, optionally in one namespace, in etcd key order. <paramref name="after"/> resumes a paged list;
    /// <paramref name="limit"/> 0 means no limit.
    /// </summary>
    public ListPage List(string group, string resource, string? ns, ObjectFilter? filter = null,
        (string Namespace, string Name)? after = null, int limit = 0)
    {
        lock (_gate)
        {
            var items = new List<StoredObject>();
            var remaining = 0;
            foreach (var stored in Table(group, resource).Scan(ns, after))
            {
                if (filter is not null && !filter(stored.Key, stored.Node))
                {
                    continue;
                }
                if (limit > 0 && items.Count == limit)
                {
                    remaining++;
                }
                else
                {
                    items.Add(stored);
                }
            }
            return new ListPage(items, _revision, remaining);
        }
    }

    /// <summary>Stores <paramref name="node"/> (the store takes ownership), stamps a new resourceVersion and notifies watchers.</summary>
    public StoredObject Put(ObjectKey key, JsonObject node)
    {
        lock (_gate)
        {
            var revision = ++_revision;
            ((JsonObject)node["metadata"]!)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
            var stored = new StoredObject(key, node, revision);
            var replaced = Table(key).Set(stored);
            Publish(new WatchEvent(replaced ? WatchEvent.Modified : WatchEvent.Added, stored));
            return stored;
        }
    }

    /// <summary>Deletes the object; the returned snapshot carries the deletion's resourceVersion, as watchers see it.</summary>
    public StoredObject? Remove(ObjectKey key)
    {
        lock (_gate)
        {
            if (Table(key).Remove(key.Namespace, key.Name) is not { } current)
            {
                return null;
            }
            var revision = ++_revision;
            var node = current.Node.DeepClone().AsObject();
            ((JsonObject)node["metadata"]!)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
            var snapshot = new StoredObject(key, node, revision);
            Publish(new WatchEvent(WatchEvent.Deleted, snapshot));
            return snapshot;
        }
    }

    /// <summary>Deletes every namespaced object in <paramref name="ns"/> (not the namespace itself).</summary>
    public void RemoveNamespaceContents(string ns)
    {
        lock (_gate)
        {
            var keys = _tables.Values.SelectMany(table => table.Scan(ns)).Select(stored => stored.Key).ToList();
            foreach (var key in keys)
            {
                Remove(key);
            }
        }
    }

    /// <summary>
    /// Opens a watch. Without <paramref name="fromRevision"/> (or 0) the feed starts with a synthetic ADDED per matching object;
    /// otherwise it replays the logged events after that revision. Either way, live events follow with no gap.
    /// </summary>
    public WatchSubscription Watch(ObjectFilter filter, long? fromRevision, string? group = null, string? resource = null)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(filter, Unsubscribe);
            if (fromRevision is null or 0)
            {
                IEnumerable<ResourceTable> tables = group is null ? _tables.Values : [Table(group, resource!)];
                foreach (var stored in tables.SelectMany(table => table.Scan(ns: null)))
                {
                    if (filter(stored.Key, stored.Node))
                    {
                        subscription.Publish(new WatchEvent(WatchEvent.Added, stored));
                    }
                }
            }
            else
            {
                if (fromRevision < _log.OldestResumableRevision)
                {
                    throw StatusResponses.Expired($"too old resource version: {fromRevision} ({_log.OldestResumableRevision})");
                }
                foreach (var change in _log.After(fromRevision.Value))
                {
                    if (filter(change.Object.Key, change.Object.Node))
                    {
                        subscription.Publish(change);
                    }
                }
            }
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Ends every open watch, as a restarting apiserver would.</summary>
    public void CloseWatches()
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete();
            }
            _subscriptions.Clear();
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private void Publish(WatchEvent change)
    {
        _log.Append(change);
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Filter(change.Object.Key, change.Object.Node))
            {
                subscription.Publish(change);
            }
        }
    }

    private ResourceTable Table(ObjectKey key) => Table(key.Group, key.Resource);

    private ResourceTable Table(string group, string resource)
    {
        if (!_tables.TryGetValue((group, resource), out var table))
        {
            table = new ResourceTable();
            _tables.Add((group, resource), table);
        }
        return table;
    }
}
