namespace DaprSecurity.KubeApiServer.Storage;

/// <summary>
/// The most recent events, in revision order, for watch replay from a resourceVersion. Bounded like etcd compaction:
/// a watch from a revision older than what is kept gets 410 Expired.
/// </summary>
internal sealed class EventLog(int capacity)
{
    private readonly WatchEvent[] _ring = new WatchEvent[Math.Max(1, capacity)];
    private int _next;
    private int _count;

    /// <summary>The oldest revision a watch may resume from: events after it are all still here.</summary>
    public long OldestResumableRevision { get; private set; }

    public void Append(WatchEvent change)
    {
        if (_count == _ring.Length)
        {
            OldestResumableRevision = _ring[_next].ResourceVersion;
        }
        else
        {
            _count++;
        }
        _ring[_next] = change;
        _next = (_next + 1) % _ring.Length;
    }

    public IEnumerable<WatchEvent> After(long revision)
    {
        var start = (_next - _count + _ring.Length) % _ring.Length;
        for (var i = 0; i < _count; i++)
        {
            var change = _ring[(start + i) % _ring.Length];
            if (change.ResourceVersion > revision)
            {
                yield return change;
            }
        }
    }
}
