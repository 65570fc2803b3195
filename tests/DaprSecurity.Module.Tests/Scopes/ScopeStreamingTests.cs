using DaprSecurity.Module.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Workloads;

namespace DaprSecurity.Module.Tests.Scopes;

/// <summary>
/// Get-DaprComponentScope and Get-DaprAccessMatrix over many namespaces write a namespace's rows as soon as every list
/// (components, Configurations, workloads) has passed that namespace: while the test server holds the second page of
/// the deployments list, or of the components list, the first namespace's rows already reach the pipeline. In the end
/// every row comes out, in namespace order, as each namespace reads alone.
/// </summary>
// Stays in xunit: it holds the second page of a list (FaultKind.Hold, with a predicate, released by the test) and reads the request log while the cmdlet runs.
public sealed class ScopeStreamingTests : IClassFixture<GetDaprDeploymentStreamingTests.ManyNamespaces>
{
    // Each app namespace holds a statestore and a pubsub, and one app that sees both; app-1 and app-1-x have no component.
    private const int Components = GetDaprDeploymentStreamingTests.ManyNamespaces.Apps * 2;

    private readonly GetDaprDeploymentStreamingTests.ManyNamespaces _cluster;

    public ScopeStreamingTests(GetDaprDeploymentStreamingTests.ManyNamespaces cluster) => _cluster = cluster;

    [Theory]
    // The deployments: 50 on the first page, the rest on the second.
    [InlineData("Get-DaprComponentScope -Namespace app-*", "deployments", 2)]
    [InlineData("Get-DaprAccessMatrix -Namespace app-*", "deployments", 2)]
    [InlineData("Get-DaprComponentScope", "deployments", 2)]
    // The components: 50, 500 and 490.
    [InlineData("Get-DaprComponentScope -Namespace app-*", "components", 3)]
    [InlineData("Get-DaprAccessMatrix -Namespace app-*", "components", 3)]
    [InlineData("Get-DaprAccessMatrix", "components", 3)]
    public void The_first_namespaces_rows_arrive_while_a_later_page_of_a_list_is_still_held(string command, string held, int pages)
    {
        var probe = new FirstObjectProbe(_cluster, held);

        probe.Run(command + " | ForEach-Object { $probe.Arrived($_) }");

        probe.AssertFirstArrivedWhileSecondPageHeld("app-0001", pages);
        Assert.Equal(Components, probe.Objects);
    }

    [Theory]
    [InlineData("Get-DaprComponentScope", "ForEach-Object { \"$($_.Namespace)/$($_.Name)/$($_.Scopes -join ',')\" }")]
    [InlineData("Get-DaprAccessMatrix", "ForEach-Object { \"$($_.Namespace)/$($_.AppId)/$($_.Component)/$($_.Reason)\" }")]
    public void Streamed_rows_are_those_each_namespace_shows_read_alone_in_namespace_order(string command, string line)
    {
        using var session = _cluster.NewSession();

        var streamed = session.Run($"{command} -Namespace app-* | {line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var all = session.Run($"{command} | Where-Object Namespace -like app-* | {line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var alone = session.Run($"'app-0001', 'app-0002', 'app-0520' | ForEach-Object {{ {command} -Namespace $_ }} | {line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(Components, streamed.Count);
        Assert.Equal(streamed, all);
        Assert.Equal(alone, streamed.Where(r => r.StartsWith("app-0001/", StringComparison.Ordinal) || r.StartsWith("app-0002/", StringComparison.Ordinal) || r.StartsWith("app-0520/", StringComparison.Ordinal)));
        var namespaces = streamed.Select(r => r.Split('/')[0]).Distinct().ToList();
        Assert.Equal(namespaces.Order(StringComparer.Ordinal), namespaces);
    }
}
