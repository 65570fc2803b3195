using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Fleet;

/// <summary>-ThrottleLimit bounds how many clusters a fleet read works in at the same time.</summary>
public sealed class FleetThrottleTests : IClassFixture<FleetFixture>
{
    private readonly FleetFixture _fleet;

    public FleetThrottleTests(FleetFixture fleet) => _fleet = fleet;

    [Fact]
    public void With_ThrottleLimit_1_no_two_clusters_are_read_at_the_same_time()
    {
        foreach (var server in _fleet.Servers.Values)
        {
            server.Faults.Latency = TimeSpan.FromMilliseconds(150); // so reads of clusters in parallel would overlap
            server.Requests.Reset();
        }

        using var session = _fleet.NewSession();
        try
        {
            var result = session.Run("Get-DaprDeployment -Context * -ThrottleLimit 1 | ForEach-Object { $_.Context }").ThrowOnError();

            Assert.Equal(FleetFixture.Contexts, result.Output.Select(o => o.ToString()).Distinct().Order());
        }
        finally
        {
            foreach (var server in _fleet.Servers.Values)
            {
                server.Faults.Latency = TimeSpan.Zero;
            }
        }

        // Each cluster's reads (its list calls) as one busy span, from the first one's start to the last one's end.
        var spans = _fleet.Servers
            .Select(s => (Context: s.Key, Reads: s.Value.Requests.Entries.Where(r => r.Verb == "list").ToList()))
            .Select(s => (s.Context, Start: s.Reads.Min(r => r.Time - r.Duration), End: s.Reads.Max(r => r.Time)))
            .OrderBy(s => s.Start)
            .ToList();
        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].Start >= spans[i - 1].End, $"{spans[i].Context} was read from {spans[i].Start:HH:mm:ss.fff} while {spans[i - 1].Context} was still read until {spans[i - 1].End:HH:mm:ss.fff}.");
        }
    }
}
