using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

/// <summary>
/// Get-DaprNamespace and Get-DaprTokenSecret write a namespace as soon as every workload list has passed it: while the
/// test server holds the second page of the deployments list, the first namespace already reaches the pipeline, and in
/// the end every namespace's objects come out, as they do read alone. They, and Get-DaprDeployment, start their
/// workload lists with the namespace list, not after it.
/// </summary>
// Stays in xunit: it holds list requests (FaultKind.Hold, with a predicate, released by the test) and reads the request log while the cmdlet runs.
public sealed class NamespaceReaderStreamingTests : IClassFixture<GetDaprDeploymentStreamingTests.ManyNamespaces>
{
    private const int Apps = GetDaprDeploymentStreamingTests.ManyNamespaces.Apps;

    private readonly GetDaprDeploymentStreamingTests.ManyNamespaces _cluster;

    public NamespaceReaderStreamingTests(GetDaprDeploymentStreamingTests.ManyNamespaces cluster) => _cluster = cluster;

    [Theory]
    [InlineData("Get-DaprNamespace app-*", Apps + 2)]
    // Two apps in three have a token secret (the seed), and app-1 has one more.
    [InlineData("Get-DaprTokenSecret -Namespace app-*", (Apps / 3 * 2) + (Apps % 3) + 1)]
    public void The_first_namespace_arrives_while_a_later_page_of_the_deployments_list_is_still_held(string command, int objects)
    {
        var probe = new FirstObjectProbe(_cluster, "deployments");

        probe.Run(command + " | ForEach-Object { $probe.Arrived($_) }");

        probe.AssertFirstArrivedWhileSecondPageHeld("app-0001");
        Assert.Equal(objects, probe.Objects);
        Assert.Equal(0, _cluster.Server.Requests.Count("list", "pods"));
    }

    [Fact]
    public void Each_namespace_counts_the_workloads_Get_DaprDeployment_lists_in_the_namespace_lists_order()
    {
        using var session = _cluster.NewSession();

        var namespaces = session.Run("Get-DaprNamespace app-* | ForEach-Object { \"$($_.Name)/$($_.DaprWorkloads)/$($_.AppTokenSecret)\" }").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var counted = session.Run("(Get-DaprDeployment -Namespace app-*).Namespace").ThrowOnError().Output.GroupBy(o => o.ToString()).Select(g => $"{g.Key}/{g.Count()}").ToHashSet();
        var listed = namespaces.Select(line => line.Split('/')[0]).ToList();

        Assert.Equal(Apps + 2, namespaces.Count);
        Assert.All(namespaces, line => Assert.Contains(string.Join('/', line.Split('/').Take(2)), counted));
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Contains("app-1/1/True", namespaces);
    }

    [Fact]
    public void A_namespaces_token_secrets_read_among_many_are_those_it_shows_read_alone()
    {
        using var session = _cluster.NewSession();
        const string Line = "ForEach-Object { \"$($_.Namespace)/$($_.SecretName)/$($_.Status)/$($_.Consumers)/$($_.Fingerprint)\" }";

        var amongMany = session.Run($"Get-DaprTokenSecret -Namespace app-* | Where-Object Namespace -eq app-1 | {Line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var alone = session.Run($"Get-DaprTokenSecret -Namespace app-1 | {Line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(alone, amongMany);
        Assert.StartsWith("app-1/app-api-token/InUse/Deployment/orders/", Assert.Single(alone), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Get-DaprNamespace app-*")]
    [InlineData("Get-DaprDeployment -Namespace app-*")]
    [InlineData("Get-DaprTokenSecret -Namespace app-*")]
    public void The_workload_lists_start_while_the_namespace_list_is_still_held(string command)
    {
        var server = _cluster.Server;
        var timedOut = false;
        var namespaceList = server.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "list", Resource = "namespaces" });
        server.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "list", Resource = "deployments", When = _ => { namespaceList.Release(); return false; } });
        // A command that reads the namespaces first would wait here: release them after half a minute, so the test fails instead of hanging.
        using var safety = new Timer(_ => { timedOut = true; namespaceList.Release(); }, null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var session = _cluster.NewSession();
        try
        {
            session.Run(command).ThrowOnError();

            Assert.False(timedOut, "The namespace list was held until the safety release: the deployments list did not start before it ended.");
        }
        finally
        {
            namespaceList.Release();
            server.Faults.Reset();
        }
    }
}
