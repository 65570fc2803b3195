using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DaprSecurity.Module.Tests.Tokens;

// Stays in xunit: it proves each random fault fired through the in-process FaultRule.Fired counters; the admin endpoint cannot tell a reset connection from a served one.
/// <summary>A busy, flaky API server (429 with Retry-After, 500s, dropped connections) still ends with every namespace rotated.</summary>
public sealed class TokenRotationUnderFaultsTests : IClassFixture<ClusterFixture>, IDisposable
{
    private const int Namespaces = 24;
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;
    private readonly ITestOutputHelper _output;

    public TokenRotationUnderFaultsTests(ClusterFixture cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
        _session = cluster.NewSession();
    }

    [Fact]
    public void Every_namespace_is_rotated_and_every_consumer_rolled_once()
    {
        var server = _cluster.Server;
        for (var i = 0; i < Namespaces; i++)
        {
            DaprApps.Deploy(server, $"flaky-{i:00}", "orders", appTokenSecret: "app-api-token");
        }

        var throttled = server.Faults.Add(new FaultRule(FaultKind.TooManyRequests) { Probability = 0.10, RetryAfter = TimeSpan.FromSeconds(1) });
        var failed = server.Faults.Add(new FaultRule(FaultKind.InternalError) { Probability = 0.05 });
        var dropped = server.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Probability = 0.05 });
        try
        {
            var result = _session.Run("$token = New-DaprAppToken; $token | Set-DaprTokenSecret -Namespace flaky-* -PassThru | Restart-DaprDeployment | ForEach-Object Status; [System.Net.NetworkCredential]::new('', $token.Token).Password")
                .ThrowOnError();

            var token = result.Output[^1].ToString();
            Assert.Equal(Enumerable.Repeat("Restarted", Namespaces), result.Output.SkipLast(1).Select(o => o.ToString()));
            for (var i = 0; i < Namespaces; i++)
            {
                Assert.Equal(token, DaprApps.StoredToken(server, $"flaky-{i:00}", "app-api-token"));
                Assert.Equal(2, DaprApps.Generation(server, $"flaky-{i:00}", "orders"));
            }

            _output.WriteLine($"faults injected: {throttled.Fired} x 429, {failed.Fired} x 500, {dropped.Fired} dropped connections");
            Assert.True(throttled.Fired > 0 && failed.Fired > 0 && dropped.Fired > 0, "the faults must actually have fired");
        }
        finally
        {
            server.Faults.Reset();
        }
    }

    public void Dispose() => _session.Dispose();
}
