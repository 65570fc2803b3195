using System.Diagnostics;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>
/// Measures, and only reports, throughput and start-up cost; the assertions are about correctness (every request
/// succeeded), never about timing, so a slow machine cannot make them flaky.
/// </summary>
public sealed class BenchmarkTests(ITestOutputHelper output)
{
    private const int Clients = 16;
    private const int RequestsPerClient = 250;

    [Fact]
    public async Task SimpleRequestsWithSixteenConcurrentClients()
    {
        var start = Stopwatch.StartNew();
        await using var server = await KubeApiServer.StartAsync();
        output.WriteLine($"started in {start.ElapsedMilliseconds} ms");
        server.SeedDapr(new DaprSeedOptions());
        using var http = server.CreateHttpClient();
        await http.GetAsync("/api/v1/namespaces/dapr-system/secrets/dapr-trust-bundle");

        var clock = Stopwatch.StartNew();
        var failures = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
        {
            var failed = 0;
            for (var i = 0; i < RequestsPerClient; i++)
            {
                var path = (i % 3) switch
                {
                    0 => "/api/v1/namespaces/dapr-system/secrets/dapr-trust-bundle",
                    1 => "/apis/apps/v1/namespaces/prod-orders/deployments",
                    _ => "/apis/dapr.io/v1alpha1/namespaces/team-a/components/statestore",
                };
                using var response = await http.GetAsync(path);
                failed += response.IsSuccessStatusCode ? 0 : 1;
            }
            return failed;
        }));
        clock.Stop();

        var total = Clients * RequestsPerClient;
        output.WriteLine($"{total} requests from {Clients} clients in {clock.ElapsedMilliseconds} ms: {total / clock.Elapsed.TotalSeconds:F0} requests/s");
        Assert.Equal(0, failures.Sum());
        Assert.Equal(total + 1, server.Requests.Total);
    }

    [Fact]
    public async Task SeedingAThousandNamespaces()
    {
        await using var server = await KubeApiServer.StartAsync();
        var namespaces = Enumerable.Range(0, 1000).Select(i => $"app-{i:D4}").ToList();

        var clock = Stopwatch.StartNew();
        server.SeedDapr(new DaprSeedOptions { AppNamespaces = namespaces });
        output.WriteLine($"seeded {namespaces.Count} app namespaces in {clock.ElapsedMilliseconds} ms");

        await Eventually.GetAsync(() => server.List("apps", "v1", "deployments"),
            all => all.All(d => d.Long("status", "availableReplicas") == 1), "every deployment available", seconds: 60);
        output.WriteLine($"all {namespaces.Count + 3} deployments available after {clock.ElapsedMilliseconds} ms");

        Assert.Equal(namespaces.Count + 2, server.List("", "v1", "namespaces").Count);
        Assert.Equal(namespaces.Count * 2, server.List("dapr.io", "v1alpha1", "components").Count);
    }
}
