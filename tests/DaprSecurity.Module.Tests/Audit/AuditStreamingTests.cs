using System.Management.Automation;
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
        var probe = new FirstResultProbe(() => server.Requests.Count("list", "components"), hold);

        // An audit that does not stream would wait for the held page: release it after a minute, so the test fails instead of hanging.
        using (new Timer(_ => hold.Release(), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan))
        using (var session = _cluster.NewSession())
        {
            server.Requests.Reset();
            try
            {
                session.Run("Test-DaprSecurity -Namespace app-* -IncludePass | Where-Object Area -ne MTLS | ForEach-Object { $probe.Arrived($_) }", new Dictionary<string, object?> { ["probe"] = probe })
                    .ThrowOnError();
            }
            finally
            {
                hold.Release();
                server.Faults.Reset();
            }
        }

        Assert.True(probe.ListsCompletedAtFirst == 1, $"When the first namespace's result arrived, {probe.ListsCompletedAtFirst} of the components list's 2 page requests had completed.");
        Assert.Equal("app-0001", probe.FirstNamespace);
        Assert.Equal(1, hold.Fired);
        Assert.Equal(2, server.Requests.Count("list", "components"));
        Assert.True(probe.Results > 300 * 5, $"{probe.Results} results");
    }

    /// <summary>Notes what the server's log says when the first result arrives, then lets the held page go.</summary>
    public sealed class FirstResultProbe(Func<int> completedLists, FaultRule hold)
    {
        public int? ListsCompletedAtFirst { get; private set; }

        public string? FirstNamespace { get; private set; }

        public int Results { get; private set; }

        public void Arrived(object result)
        {
            Results++;
            if (ListsCompletedAtFirst is null)
            {
                ListsCompletedAtFirst = completedLists();
                FirstNamespace = PSObject.AsPSObject(result).Properties["Namespace"].Value as string;
                hold.Release();
            }
        }
    }

    /// <summary>300 app namespaces: their 600 components take two pages of 500.</summary>
    public sealed class ManyNamespaces : ClusterFixture
    {
        protected override DaprSeedOptions SeedOptions => new() { AppNamespaces = DaprSeedOptions.Numbered(300) };
    }
}
