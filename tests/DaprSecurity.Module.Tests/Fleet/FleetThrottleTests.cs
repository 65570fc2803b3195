using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Fleet;

/// <summary>
/// -ThrottleLimit bounds how many clusters a fleet read works in at the same time, counted on the servers: every list
/// request is held (FaultKind.Hold) until the test lets its cluster go, so a cluster whose read has started is "in
/// flight" from its first held request until it is released.
/// </summary>
public sealed class FleetThrottleTests : IClassFixture<FleetFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // How long a throttle that lets too many clusters start is given to show it. Not an ordering: the workers of every
    // cluster start together, so a broken limit sends their requests at once; a correct one never sends them, however long.
    private static readonly TimeSpan DetectionWindow = TimeSpan.FromSeconds(2);

    private readonly FleetFixture _fleet;

    public FleetThrottleTests(FleetFixture fleet) => _fleet = fleet;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ThrottleLimit_is_how_many_clusters_are_read_at_once(int limit)
    {
        var holds = _fleet.Servers.ToDictionary(s => s.Key, s => s.Value.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "list" }));
        var released = new List<string>();
        var peaks = new List<int>();
        try
        {
            using var session = _fleet.NewSession();
            var run = Task.Run(() => session.Run($"Get-DaprDeployment -Context * -ThrottleLimit {limit} | ForEach-Object {{ $_.Context }}"));

            while (released.Count < holds.Count)
            {
                // As many clusters as the limit allows (or as are left) start; then no other may start while they are held.
                var expected = Math.Min(limit, holds.Count - released.Count);
                await Until(() => InFlight(holds, released).Count >= expected || run.IsCompleted, () => $"With -ThrottleLimit {limit}, {expected} clusters should be read at once; {InFlight(holds, released).Count} were.");
                await Task.Delay(DetectionWindow);
                var inFlight = InFlight(holds, released);
                peaks.Add(inFlight.Count);
                Assert.True(inFlight.Count == expected, $"With -ThrottleLimit {limit}, {inFlight.Count} clusters were read at once ({string.Join(", ", inFlight)}); expected {expected}.");

                // One of them finishes; the next cluster may start.
                holds[inFlight[0]].Release();
                released.Add(inFlight[0]);
            }

            var result = (await run).ThrowOnError();
            Assert.Equal(FleetFixture.Contexts, result.Output.Select(o => o.ToString()).Distinct().Order());
            Assert.Equal(limit, peaks.Max());
        }
        finally
        {
            foreach (var (context, hold) in holds)
            {
                hold.Release();
                _fleet.Servers[context].Faults.Reset();
            }
        }
    }

    /// <summary>The clusters with a held (not yet released) request: those being read now.</summary>
    private static List<string> InFlight(Dictionary<string, FaultRule> holds, List<string> released)
        => holds.Where(h => h.Value.Fired > 0 && !released.Contains(h.Key)).Select(h => h.Key).Order().ToList();

    private static async Task Until(Func<bool> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(20);
        }
    }
}
