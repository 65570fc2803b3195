using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DaprSecurity.Module.Tests.Tokens;

// Stays in xunit: it proves each random fault fired through the in-process FaultRule.Fired counters; the admin endpoint cannot tell a reset connection from a served one.
/// <summary>
/// The standing reliability check of a safe rotation: 50 namespaces with three Dapr workloads each, rotated with
/// Restart-DaprDeployment -Wait while the API server answers 10% of requests with 429 (Retry-After), 5% with 500 and
/// resets 3% of connections (watches included). Every namespace must end on the new token, every workload restarted exactly
/// once, counted by ReplicaSets and generations.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TokenRotationReliabilityTests : IClassFixture<ClusterFixture>, IDisposable
{
    private const int Namespaces = 50;
    private static readonly string[] Apps = { "orders", "cart", "audit" };
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;
    private readonly ITestOutputHelper _output;

    public TokenRotationReliabilityTests(ClusterFixture cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
        _session = cluster.NewSession();
    }

    [Fact]
    public void A_rotation_in_waves_under_throttling_errors_and_resets_ends_on_the_new_token_everywhere_with_each_workload_restarted_once()
    {
        var server = _cluster.Server;
        var names = Enumerable.Range(0, Namespaces).Select(i => $"reliable-{i:00}").ToList();
        foreach (var ns in names)
        {
            foreach (var app in Apps)
            {
                DaprApps.Deploy(server, ns, app, appTokenSecret: "app-api-token");
            }
        }

        var throttled = server.Faults.Add(new FaultRule(FaultKind.TooManyRequests) { Probability = 0.10, RetryAfter = TimeSpan.FromSeconds(1) });
        var failed = server.Faults.Add(new FaultRule(FaultKind.InternalError) { Probability = 0.05 });
        var reset = server.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Probability = 0.03 });
        PowerShellResult result;
        try
        {
            result = _session.Run("$token = New-DaprAppToken; $token | Set-DaprTokenSecret -Namespace reliable-* -PassThru | Restart-DaprDeployment -Wait -Timeout 60 | ForEach-Object Status; $token.Fingerprint")
                .ThrowOnError();
        }
        finally
        {
            server.Faults.Reset();
        }

        _output.WriteLine($"faults injected: {throttled.Fired} x 429, {failed.Fired} x 500, {reset.Fired} resets; {server.Requests.Total} requests");
        Assert.True(throttled.Fired > 0 && failed.Fired > 0 && reset.Fired > 0, "the faults must actually have fired");
        var fingerprint = result.Output[^1].ToString();
        Assert.Equal(Enumerable.Repeat("RolledOut", Namespaces * Apps.Length), result.Output.SkipLast(1).Select(o => o.ToString()));
        foreach (var ns in names)
        {
            foreach (var app in Apps)
            {
                Assert.Equal((2, 2), (DaprApps.Generation(server, ns, app), DaprApps.ReplicaSets(server, ns, app)));
                Assert.Equal(new[] { fingerprint }, DaprApps.PodAnnotation(server, ns, app, "daprsecurity.io/app-token-fingerprint"));
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
