using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

/// <summary>
/// Get-DaprNamespace writes a namespace as soon as every workload list has passed it: while the test server holds the
/// second page of the deployments list, the first namespaces already reach the pipeline, and what it writes counts
/// the workloads Get-DaprDeployment lists, namespace by namespace, in the namespace list's order.
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
}
