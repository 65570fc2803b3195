using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>The families fit together: namespaces from Get-DaprNamespace flow into every cmdlet that works per namespace.</summary>
public sealed class PipelineInteropTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _cluster;

    public PipelineInteropTests(ClusterFixture cluster) => _cluster = cluster;

    [Theory]
    [InlineData("Get-DaprDeployment", "Namespace")]
    [InlineData("Get-DaprTokenSecret", "Namespace")]
    [InlineData("Get-DaprComponentScope", "Namespace")]
    [InlineData("Get-DaprAccessMatrix", "Namespace")]
    public void Namespaces_from_Get_DaprNamespace_select_what_the_next_cmdlet_reads(string cmdlet, string namespaceProperty)
    {
        using var session = _cluster.NewSession();

        var namespaces = session.Run($"Get-DaprNamespace prod-orders | {cmdlet} | ForEach-Object {namespaceProperty}").ThrowOnError().Output;

        Assert.NotEmpty(namespaces);
        Assert.All(namespaces, ns => Assert.Equal("prod-orders", ns.ToString()));
    }
}
