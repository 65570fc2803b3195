using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Scopes;

/// <summary>
/// Get-DaprComponentScope and Get-DaprAccessMatrix across every namespace write the namespaces in name order, also
/// where the API server lists them in another (key order puts prod-inventory/ and prod-orders/ before prod/), and also
/// for an identity that may not list namespaces, whose rows come from the lists alone: the same rows, in the same order,
/// as the admin's.
/// </summary>
public sealed class ScopeNamespaceOrderTests : IClassFixture<ScopeNamespaceOrderTests.PrefixNamespaces>
{
    private readonly PrefixNamespaces _cluster;

    public ScopeNamespaceOrderTests(PrefixNamespaces cluster) => _cluster = cluster;

    [Theory]
    [InlineData("Get-DaprComponentScope @extra | ForEach-Object { \"$($_.Namespace)/$($_.Name)\" }")]
    [InlineData("Get-DaprAccessMatrix @extra | ForEach-Object { \"$($_.Namespace)/$($_.AppId)/$($_.Component)/$($_.Access)\" }")]
    public void Every_namespace_comes_in_name_order_with_or_without_the_right_to_list_namespaces(string command)
    {
        using var session = _cluster.NewSession();

        var admin = session.Run(command, new Dictionary<string, object?> { ["extra"] = new Dictionary<string, object?>() }).ThrowOnError().Output.Select(o => o.ToString()).ToList();
        _cluster.Server.Requests.Reset();
        var restricted = session.Run(command, new Dictionary<string, object?> { ["extra"] = new Dictionary<string, object?> { ["KubeConfig"] = _cluster.NoNamespaces } }).ThrowOnError();

        var namespaces = admin.Select(r => r.Split('/')[0]).Distinct().ToList();
        Assert.Equal(new[] { "prod", "prod-inventory", "prod-orders", "team-a" }, namespaces);
        Assert.Equal(admin, restricted.Output.Select(o => o.ToString()));
        Assert.Contains(_cluster.Server.Requests.Entries, r => r.Resource == "namespaces" && r.StatusCode == 403);
    }

    /// <summary>The default seed (prod-orders, prod-inventory, team-a) and a namespace prod with an app and a component; a user who may not list namespaces.</summary>
    public sealed class PrefixNamespaces : ClusterFixture, IAsyncLifetime
    {
        public string NoNamespaces { get; private set; } = "";

        async Task IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            DaprApps.Deploy(Server, "prod", "billing");
            Server.Apply("apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ledger\n  namespace: prod\nspec:\n  type: state.redis\n  version: v1\n");
            Server.AddUser("no-namespaces", "no-namespaces-token", AccessRule.Forbid("list", "namespaces"));
            NoNamespaces = Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"daprsec-{Guid.NewGuid():N}", "config"), "no-namespaces");
        }
    }
}
