using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Diagnostics;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>
/// The requests of a cluster audit, from the test server's request log: one paged list a kind across the cluster
/// (never a list per namespace), the control plane's own reads, and the trust bundle read once.
/// </summary>
// Stays in xunit: it reads the server's request log in-process, entry by entry (path and query), after one run.
public sealed class AuditRequestsTests : IClassFixture<AuditRequestsTests.ManyNamespaces>
{
    private static readonly string[] s_auditedKinds = { "deployments", "statefulsets", "daemonsets", "pods", "services", "ingresses", "secrets", "components", "configurations" };

    private readonly ManyNamespaces _cluster;

    public AuditRequestsTests(ManyNamespaces cluster) => _cluster = cluster;

    [Fact]
    public void Every_kind_is_one_paged_list_across_the_cluster_and_the_trust_bundle_is_read_once()
    {
        var server = _cluster.Server;
        using var session = _cluster.NewSession();
        server.Requests.Reset();
        session.Run("Test-DaprSecurity -IncludePass | Out-Null").ThrowOnError();
        var requests = server.Requests.Entries;

        foreach (var kind in s_auditedKinds)
        {
            // A kind's pages: the first without a continue token, each next one with the token of the page before.
            var pages = requests.Where(r => IsAuditList(r) && r.Resource == kind).ToList();
            Assert.True(pages.Count(r => !r.Query.Contains("continue=", StringComparison.Ordinal)) == 1, $"{kind}: {pages.Count} paged cluster-wide list requests:\n{Describe(pages)}");
        }

        Assert.Equal(2, requests.Count(r => r.Verb == "list" && r.Resource == "components")); // 600 components: two pages of 500
        var inAppNamespaces = requests.Where(r => r.Namespace?.StartsWith("app-", StringComparison.Ordinal) == true).ToList();
        Assert.True(inAppNamespaces.Count == 0, "Requests per app namespace:\n" + Describe(inAppNamespaces));
        Assert.Equal(1, requests.Count(r => r.Verb == "get" && r.Resource == "secrets" && r.Name == "dapr-trust-bundle"));
        Assert.Equal(1, requests.Count(r => r.Verb == "get" && r.Resource == "configmaps" && r.Name == "dapr-trust-bundle"));

        // Besides the lists: the namespaces, the control plane's discovery (the daprsystem Configuration) and its own
        // workloads and pods. No list of the pods with a sidecar: the sidecar checks are made from the audit's pod list.
        var others = requests.Where(r => !IsAuditList(r)).ToList();
        Assert.True(others.Count == 8, $"{others.Count} requests besides the audited lists:\n{Describe(others)}");
    }

    /// <summary>A page of one of the audit's lists: cluster-wide, paged (a list read as it arrives asks for a small first page), unfiltered.</summary>
    private static bool IsAuditList(RecordedRequest r)
        => r.Verb == "list" && s_auditedKinds.Contains(r.Resource) && string.IsNullOrEmpty(r.Namespace)
            && r.Query.Contains("limit=", StringComparison.Ordinal) && !r.Query.Contains("labelSelector", StringComparison.Ordinal);

    private static string Describe(IEnumerable<RecordedRequest> requests)
        => string.Join("\n", requests.Select(r => $"{r.Verb} {r.Resource} {r.Namespace}/{r.Name} {r.Path}?{r.Query}"));

    /// <summary>300 app namespaces: their 600 components take two pages of 500.</summary>
    public sealed class ManyNamespaces : ClusterFixture
    {
        protected override DaprSeedOptions SeedOptions => new() { AppNamespaces = DaprSeedOptions.Numbered(300) };
    }
}
