using DaprSecurity.Module.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Workloads;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>
/// Get-DaprTokenSecret writes a namespace's token secrets as soon as every workload list has passed that namespace:
/// while the test server holds the second page of the deployments list, the first namespace's secrets already reach
/// the pipeline, and in the end every namespace's secrets come out.
/// </summary>
// Stays in xunit: it holds the second page of a list (FaultKind.Hold, with a predicate, released by the test) and reads the request log while the cmdlet runs.
public sealed class GetDaprTokenSecretStreamingTests : IClassFixture<GetDaprDeploymentStreamingTests.ManyNamespaces>
{
    private readonly GetDaprDeploymentStreamingTests.ManyNamespaces _cluster;

    public GetDaprTokenSecretStreamingTests(GetDaprDeploymentStreamingTests.ManyNamespaces cluster) => _cluster = cluster;

    [Fact]
    public void The_first_namespaces_secrets_arrive_while_a_later_page_of_the_deployments_list_is_still_held()
    {
        var probe = new FirstObjectProbe(_cluster, "deployments");

        probe.Run("Get-DaprTokenSecret -Namespace app-* | ForEach-Object { $probe.Arrived($_) }");

        probe.AssertFirstArrivedWhileSecondPageHeld("app-0001");
        // Two apps in three have a token secret (the seed), and app-1 has one more.
        Assert.Equal(Enumerable.Range(0, GetDaprDeploymentStreamingTests.ManyNamespaces.Apps).Count(i => i % 3 != 2) + 1, probe.Objects);
    }

    [Fact]
    public void A_namespace_read_among_many_shows_what_it_shows_read_alone()
    {
        using var session = _cluster.NewSession();
        const string Line = "ForEach-Object { \"$($_.Namespace)/$($_.SecretName)/$($_.Status)/$($_.Consumers)/$($_.Fingerprint)\" }";

        var amongMany = session.Run($"Get-DaprTokenSecret -Namespace app-* | Where-Object Namespace -eq app-1 | {Line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        var alone = session.Run($"Get-DaprTokenSecret -Namespace app-1 | {Line}").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(alone, amongMany);
        Assert.Single(alone);
        Assert.StartsWith("app-1/app-api-token/InUse/Deployment/orders/", alone[0], StringComparison.Ordinal);
    }
}
