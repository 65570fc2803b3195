using DaprSecurity.Completers;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DaprSecurity.Engine.Tests.Completers;

/// <summary>The cluster-name completers' cache ages by its clock: a Tab within the minute answers from memory, a later one reads again.</summary>
public sealed class CompletionCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private int _reads;

    [Theory]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    public void A_second_tab_reads_the_cluster_again_only_once_the_lifetime_has_passed(int secondsLater, int reads)
    {
        var cache = new CompletionCache(_clock, TimeSpan.FromMinutes(1));
        var first = cache.Get("ns", Read);
        _clock.Advance(TimeSpan.FromSeconds(secondsLater));

        Assert.Equal(reads == 1, ReferenceEquals(first, cache.Get("ns", Read)));
        Assert.Equal(reads, _reads);
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
