using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Workloads;
using Xunit;

namespace DaprSecurity.Engine.Tests.Workloads;

public sealed class RolloutWavesTests
{
    private static readonly IReadOnlyList<string> Forty = Enumerable.Range(0, 40).Select(i => $"ns-{i:00}").ToList();

    [Fact]
    public void By_default_the_first_namespace_goes_alone_then_one_then_five_and_twenty_five_percent_then_the_rest()
    {
        var waves = RolloutWaves.Split(Forty, canary: null, waves: null);

        Assert.Equal(new[] { 1, 1, 2, 10, 26 }, waves.Select(w => w.Count));
        Assert.Equal("ns-00", Assert.Single(waves[0]));
        Assert.Equal(Forty, waves.SelectMany(w => w));
    }

    [Fact]
    public void A_named_canary_goes_first_and_is_not_restarted_again_in_a_later_wave()
    {
        var waves = RolloutWaves.Split(Forty, canary: new[] { "ns-3*" }, waves: new[] { "5", "50%" });

        Assert.Equal(Enumerable.Range(30, 10).Select(i => $"ns-{i}"), waves[0]);
        Assert.Equal(new[] { 10, 5, 20, 5 }, waves.Select(w => w.Count));
        Assert.Equal(40, waves.SelectMany(w => w).Distinct().Count());
    }

    [Fact]
    public void Few_namespaces_get_one_per_wave_and_a_canary_that_matches_nothing_is_an_error()
    {
        Assert.Equal(new[] { "a", "b", "c" }, RolloutWaves.Split(new[] { "a", "b", "c" }, null, null).Select(w => Assert.Single(w)));
        var error = Assert.Throws<DaprSecurityException>(() => RolloutWaves.Split(new[] { "a" }, new[] { "z*" }, null));
        Assert.True(error.Is(DaprErrors.NamespaceNotMatched));
    }
}
