using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

/// <summary>
/// Get-DaprNamespace writes a namespace as soon as every workload list has passed it: while the test server holds the
/// second page of the deployments list, the first namespaces already reach the pipeline, and what it writes counts
/// the workloads Get-DaprDeployment lists, namespace by namespace, in the namespace list's order. Both cmdlets start
/// their workload lists with the namespace list, not after it.
/// </summary>
// Stays in xunit: it holds the second page of a list (FaultKind.Hold, with a predicate, released by the test) and reads the request log while the cmdlet runs.
public sealed class GetDaprNamespaceStreamingTests : IClassFixture<GetDaprDeploymentStreamingTests.ManyNamespaces>
{
    private readonly GetDaprDeploymentStreamingTests.ManyNamespaces _cluster;

    public GetDaprNamespaceStreamingTests(GetDaprDeploymentStreamingTests.ManyNamespaces cluster) => _cluster = cluster;

    [Fact]
    public void The_first_namespaces_arrive_while_a_later_page_of_the_deployments_list_is_still_held()
    {
        var probe = new FirstObjectProbe(_cluster, "deployments");

        probe.Run("Get-DaprNamespace app-* | ForEach-Object { $probe.Arrived($_) }");

        probe.AssertFirstArrivedWhileSecondPageHeld("app-0001");
        Assert.Equal(0, _cluster.Server.Requests.Count("list", "pods"));
        Assert.Equal(GetDaprDeploymentStreamingTests.ManyNamespaces.Apps + 2, probe.Objects);
    }

    [Fact]
    public void Each_namespace_counts_the_workloads_Get_DaprDeployment_lists_in_the_namespace_lists_order()
    {
        using var session = _cluster.NewSession();

        var namespaces = session.Run("Get-DaprNamespace app-* | ForEach-Object { \"$($_.Name)/$($_.DaprWorkloads)/$($_.AppTokenSecret)\" }").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var counted = session.Run("(Get-DaprDeployment -Namespace app-*).Namespace").ThrowOnError().Output.GroupBy(o => o.ToString()).Select(g => $"{g.Key}/{g.Count()}").ToHashSet();
        var listed = session.Run("(Get-DaprNamespace app-*).Name").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(GetDaprDeploymentStreamingTests.ManyNamespaces.Apps + 2, namespaces.Count);
        Assert.All(namespaces, line => Assert.Contains(string.Join('/', line.Split('/').Take(2)), counted));
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Contains("app-1/1/True", namespaces);
    }

    [Theory]
    [InlineData("Get-DaprNamespace app-*")]
    [InlineData("Get-DaprDeployment -Namespace app-*")]
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
            var objects = session.Run(command).ThrowOnError().Output.Count;

            Assert.False(timedOut, "The namespace list was held until the safety release: the deployments list did not start before it ended.");
            Assert.Equal(GetDaprDeploymentStreamingTests.ManyNamespaces.Apps + 2, objects);
        }
        finally
        {
            namespaceList.Release();
            server.Faults.Reset();
        }
    }
}
