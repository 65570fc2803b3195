using System.Collections.Concurrent;

namespace DaprSecurity.Completers;

/// <summary>
/// Names read for completion, kept per key for <c>lifetime</c> by <c>clock</c> (the system clock in a session, a fake one
/// in tests), so repeated Tabs do not read the cluster again. A read that failed is not kept.
/// </summary>
internal sealed class CompletionCache
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Read, Task<IReadOnlyList<string>> Names)> _entries = new();
    private readonly TimeSpan _lifetime;

    public CompletionCache(TimeProvider clock, TimeSpan lifetime)
    {
        Clock = clock;
        _lifetime = lifetime;
    }

    /// <summary>The clock the cache ages its entries by; completion reads time out by it too.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The names kept for <paramref name="key"/> while fresh, else those <paramref name="read"/> starts reading now.</summary>
    public Task<IReadOnlyList<string>> Get(string key, Func<Task<IReadOnlyList<string>>> read)
    {
        var now = Clock.GetUtcNow();
        return _entries.AddOrUpdate(
            key,
            _ => (now, read()),
            (_, old) => now - old.Read < _lifetime && !old.Names.IsFaulted ? old : (now, read())).Names;
    }
}
