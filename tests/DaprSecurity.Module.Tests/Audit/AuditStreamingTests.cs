using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>
/// A cluster audit writes a namespace's results as soon as every list has passed that namespace, not after every list
/// of the cluster is read: while the test server holds the second page of the components list, results of the first
/// namespaces already reach the pipeline, as the server's request log shows.
/// </summary>
// Stays in xunit: it holds the second page of a list (FaultKind.Hold, with a predicate, released by the test) and reads the request log while the audit runs; the admin endpoint has no held requests.
public sealed class AuditStreamingTests : IClassFixture<AuditStreamingTests.ManyNamespaces>
{
    private readonly ManyNamespaces _cluster;

    public AuditStreamingTests(ManyNamespaces cluster) => _cluster = cluster;

    [Fact]
    public void The_first_namespaces_results_arrive_while_a_later_page_of_a_list_is_still_held()
    {
        var server = _cluster.Server;
        var componentLists = 0;
        var hold = server.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "list", Resource = "components", When = _ => Interlocked.Increment(ref componentLists) == 2 });
        var probe = new FirstObjectProbe(() => server.Requests.Count("list", "components"), hold);

        probe.Run(_cluster, "Test-DaprSecurity -Namespace app-* -IncludePass | Where-Object Area -ne MTLS | ForEach-Object { $probe.Arrived($_) }");

        Assert.True(probe.ListsCompletedAtFirst == 1, $"When the first namespace's result arrived, {probe.ListsCompletedAtFirst} of the components list's 2 page requests had completed.");
        Assert.Equal("app-0001", probe.FirstNamespace);
        Assert.Equal(1, hold.Fired);
        Assert.Equal(2, server.Requests.Count("list", "components"));
        Assert.True(probe.Objects > 300 * 5, $"{probe.Objects} results");
    }

    /// <summary>300 app namespaces: their 600 components take two pages of 500.</summary>
    public sealed class ManyNamespaces : ClusterFixture
    {
        protected override DaprSeedOptions SeedOptions => new() { AppNamespaces = DaprSeedOptions.Numbered(300) };
    }
}
