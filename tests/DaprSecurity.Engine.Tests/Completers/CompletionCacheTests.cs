using DaprSecurity.Completers;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DaprSecurity.Engine.Tests.Completers;

/// <summary>The cluster-name completers' cache ages by its clock: a Tab within the minute answers from memory, a later one reads again.</summary>
public sealed class CompletionCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private int _reads;

    [Fact]
    public void A_second_tab_within_the_lifetime_does_not_read_again()
    {
        var cache = new CompletionCache(_clock, TimeSpan.FromMinutes(1));
        var first = cache.Get("ns", Read);
        _clock.Advance(TimeSpan.FromSeconds(59));

        Assert.Same(first, cache.Get("ns", Read));
        Assert.Equal(1, _reads);
    }

    [Fact]
    public void A_tab_after_the_lifetime_reads_again()
    {
        var cache = new CompletionCache(_clock, TimeSpan.FromMinutes(1));
        var first = cache.Get("ns", Read);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.NotSame(first, cache.Get("ns", Read));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_failed_read_is_not_kept()
    {
        var cache = new CompletionCache(_clock, TimeSpan.FromMinutes(1));
        _ = cache.Get("ns", () => Task.FromException<IReadOnlyList<string>>(new InvalidOperationException("unreachable")));

        Assert.Equal(new[] { "shop" }, await cache.Get("ns", Read));
        Assert.Equal(1, _reads);
    }

    [Fact]
    public void Keys_age_apart()
    {
        var cache = new CompletionCache(_clock, TimeSpan.FromMinutes(1));
        _ = cache.Get("a", Read);
        _clock.Advance(TimeSpan.FromSeconds(30));
        _ = cache.Get("b", Read);
        _clock.Advance(TimeSpan.FromSeconds(40));

        _ = cache.Get("a", Read); // 70 s old: read again
        _ = cache.Get("b", Read); // 40 s old: kept
        Assert.Equal(3, _reads);
    }

    private Task<IReadOnlyList<string>> Read()
    {
        _reads++;
        return Task.FromResult<IReadOnlyList<string>>(new[] { "shop" });
    }
}
