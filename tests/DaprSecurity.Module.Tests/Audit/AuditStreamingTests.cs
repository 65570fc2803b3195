using DaprSecurity.KubeApiServer.Dapr;
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
        var probe = new FirstObjectProbe(_cluster, "components");

        probe.Run("Test-DaprSecurity -Namespace app-* -IncludePass | Where-Object Area -ne MTLS | ForEach-Object { $probe.Arrived($_) }");

        probe.AssertFirstArrivedWhileSecondPageHeld("app-0001");
        Assert.True(probe.Objects > 300 * 5, $"{probe.Objects} results");
    }

    /// <summary>300 app namespaces: their 600 components take two pages of 500.</summary>
    public sealed class ManyNamespaces : ClusterFixture
    {
        protected override DaprSeedOptions SeedOptions => new() { AppNamespaces = DaprSeedOptions.Numbered(300) };
    }
}
