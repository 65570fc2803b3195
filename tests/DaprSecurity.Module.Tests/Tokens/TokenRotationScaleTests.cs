using System.Diagnostics;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>A cluster with 1,000 app namespaces, each with one Dapr app; every third app reads the app token.</summary>
public sealed class ThousandNamespacesCluster : ClusterFixture
{
    public const int Count = 1000;

    protected override DaprSeedOptions SeedOptions => new() { AppNamespaces = Enumerable.Range(0, Count).Select(i => $"scale-{i:0000}-orders").ToList() };
}

/// <summary>Rotation over 1,000 namespaces: one (paged) namespace list, no per-namespace lists, results streamed. Timings are reported, never asserted.</summary>
public sealed class TokenRotationScaleTests : IClassFixture<ThousandNamespacesCluster>, IDisposable
{
    private readonly ThousandNamespacesCluster _cluster;
    private readonly PowerShellSession _session;
    private readonly ITestOutputHelper _output;

    public TokenRotationScaleTests(ThousandNamespacesCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
        _session = cluster.NewSession();
    }

    [Fact]
    public void Rotating_1000_namespaces_lists_namespaces_once_and_restarts_exactly_the_consumers()
    {
        var server = _cluster.Server;
        server.Requests.Reset();
        var clock = Stopwatch.StartNew();

        var result = _session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace scale-* -PassThru | Restart-DaprDeployment | ForEach-Object { \"$($_.Namespace)=$($_.Status)\" }").ThrowOnError();

        _output.WriteLine($"1,000 namespaces: {clock.Elapsed.TotalSeconds:0.0} s, {server.Requests.Total} requests");
        var consumers = Enumerable.Range(0, ThousandNamespacesCluster.Count).Where(i => i % 3 == 1).Select(i => $"scale-{i:0000}-orders=Restarted").ToList();
        Assert.Equal(consumers, result.Output.Select(o => o.ToString()).Order());
        var namespacePages = (int)Math.Ceiling((ThousandNamespacesCluster.Count + 2) / 500.0);
        Assert.Equal(namespacePages, server.Requests.Count("list", "namespaces"));
        Assert.Equal(0, server.Requests.Count(r => r.Verb == "list" && r.Namespace is not null));
        Assert.Equal(ThousandNamespacesCluster.Count, server.Requests.Count(r => r.Resource == "secrets" && r.Verb is "create" or "update"));
        Assert.Equal(consumers.Count, server.Requests.Count("patch", "deployments"));
        Assert.Contains(result.Progress, p => p.Contains("of 1000"));
        Assert.Equal(2, DaprApps.Generation(server, "scale-0001-orders", "orders"));
        Assert.Equal(1, DaprApps.Generation(server, "scale-0000-orders", "orders"));
    }

    public void Dispose() => _session.Dispose();
}
