using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

/// <summary>
/// Get-DaprDeployment over many namespaces writes a namespace's workloads as soon as every list has passed that
/// namespace: while the test server holds the second page of the deployments list, the first namespaces' workloads
/// already reach the pipeline. What it writes is what the buffered path (several -Name patterns) writes, in the same order.
/// </summary>
// Stays in xunit: it holds the second page of a list (FaultKind.Hold, with a predicate, released by the test) and reads the request log while the cmdlet runs.
public sealed class GetDaprDeploymentStreamingTests : IClassFixture<GetDaprDeploymentStreamingTests.ManyNamespaces>
{
    private const string Line = "ForEach-Object { \"$($_.Namespace)/$($_.Kind)/$($_.Name)/$($_.AppTokenSecret)/$($_.TokenStale)\" }";

    private readonly ManyNamespaces _cluster;

    public GetDaprDeploymentStreamingTests(ManyNamespaces cluster) => _cluster = cluster;

    [Fact]
    public void The_first_namespaces_workloads_arrive_while_a_later_page_of_the_deployments_list_is_still_held()
    {
        var probe = new FirstObjectProbe(_cluster, "deployments");

        probe.Run("Get-DaprDeployment -Namespace app-* | ForEach-Object { $probe.Arrived($_) }");

        probe.AssertFirstArrivedWhileSecondPageHeld("app-0001");
        Assert.Equal(ManyNamespaces.Apps + 2, probe.Objects);
    }

    [Fact]
    public void Streamed_output_is_the_buffered_output_in_the_same_order()
    {
        using var session = _cluster.NewSession();

        var streamed = session.Run($"Get-DaprDeployment -Namespace app-* | {Line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var buffered = session.Run($"Get-DaprDeployment -Namespace app-* -Name *, * | {Line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(buffered, streamed);
        Assert.Equal(ManyNamespaces.Apps + 2, streamed.Count);
        // "app-1" sorts before "app-1-x" by name, though the server lists "app-1-x/..." first (key order); its token is newer than its pod.
        Assert.InRange(streamed.IndexOf("app-1/Deployment/orders/app-api-token/True"), 0, streamed.IndexOf("app-1-x/Deployment/orders//False") - 1);
    }

    /// <summary>
    /// 520 app namespaces, one Deployment each (two pages of 500 with the control plane's), plus app-1 and app-1-x,
    /// whose key order differs from their name order; one app's token is rotated after its pods started (stale).
    /// </summary>
    public sealed class ManyNamespaces : ClusterFixture, IAsyncLifetime
    {
        public const int Apps = 520;

        protected override DaprSeedOptions SeedOptions => new() { AppNamespaces = DaprSeedOptions.Numbered(Apps) };

        async Task IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            DaprApps.Deploy(Server, "app-1", "orders", appTokenSecret: "app-api-token");
            DaprApps.Deploy(Server, "app-1-x", "orders");
            var anHourAhead = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            DaprApps.Secret(Server, "app-1", "app-api-token", "rotated-token", extra: $"  annotations:\n    daprsecurity.io/token-updated-at: \"{anHourAhead}\"");
            // Every app's pod is running before the tests compare TokenStale, which the pods decide.
            while (Server.List("", "v1", "pods").Count(p => p["metadata"]?["namespace"]?.ToString().StartsWith("app-", StringComparison.Ordinal) == true) < Apps + 2)
            {
                await Task.Delay(50);
            }
        }
    }
}
