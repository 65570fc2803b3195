using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Scopes;

/// <summary>Scopes in a cluster (the in-memory API server), through PowerShell.</summary>
public sealed class ClusterScopeTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;
    private readonly string _ns;

    public ClusterScopeTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
        _ns = cluster.NewNamespace("shop");
        cluster.Server.Apply(ShopManifests.Workloads(_ns) + "---\n" + ShopManifests.Components(_ns));
    }

    [Fact]
    public void Three_service_example_scoped_from_an_all_unscoped_start_and_verified_with_the_matrix()
    {
        var before = Run("Get-DaprAccessMatrix -Namespace $ns | Where-Object { -not $_.Access }").ThrowOnError().Output;

        Run("""
            Set-DaprComponentScope -Namespace $ns -Name statestore -AppId order-api, inventory-api
            Add-DaprComponentScope -Namespace $ns -Name pubsub -AppId order-api
            Get-DaprComponentScope -Namespace $ns -Name pubsub | Add-DaprComponentScope -AppId notification-service
            """).ThrowOnError();
        var scopes = Run("Get-DaprComponentScope -Namespace $ns | ForEach-Object { \"$($_.Name)=$($_.Scopes -join ',')\" }").ThrowOnError().Output;
        var pivot = Run("Get-DaprAccessMatrix -Namespace $ns -Pivot | ForEach-Object { \"$($_.AppId): pubsub=$($_.pubsub) statestore=$($_.statestore)\" }").ThrowOnError().Output;
        var reasons = Run("Get-DaprAccessMatrix -Namespace $ns -AppId inventory-api | ForEach-Object { \"$($_.Component)=$($_.Reason)\" }").ThrowOnError().Output;

        Assert.Empty(before);
        Assert.Equal(new[] { "pubsub=order-api,notification-service", "statestore=order-api,inventory-api" }, scopes.Select(s => s.ToString()));
        Assert.Equal(
            new[] { "inventory-api: pubsub=False statestore=True", "notification-service: pubsub=True statestore=False", "order-api: pubsub=True statestore=True" },
            pivot.Select(s => s.ToString()));
        Assert.Equal(new[] { "pubsub=NotListed", "statestore=Listed" }, reasons.Select(s => s.ToString()));
        Assert.Equal(new[] { "order-api", "inventory-api" }, Scopes("statestore"));
    }

    [Fact]
    public void Piped_components_share_one_read_of_their_namespaces_workloads()
    {
        Run("$components = Get-DaprComponentScope -Namespace $ns").ThrowOnError();
        var before = WorkloadLists();

        Run("$components | Add-DaprComponentScope -AppId order-api").ThrowOnError();

        Assert.Equal(new[] { "order-api" }, Scopes("statestore"));
        Assert.Equal(new[] { "order-api" }, Scopes("pubsub"));
        Assert.Equal(1, WorkloadLists() - before);
    }

    [Fact]
    public async Task A_concurrent_kubectl_edit_during_Set_is_not_lost()
    {
        _cluster.Server.Apply($"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {{name: statestore, namespace: {_ns}}}\nspec: {{type: state.redis, version: v1}}\nscopes: [order-api]\n");
        using var home = new TempHome();
        var kubectl = new Kubectl(_cluster.KubeConfig, home.Path);
        await kubectl.SucceedAsync("get", "components.dapr.io", "-n", _ns);
        // The module's first write is told to come back in a few seconds; kubectl edits the component meanwhile.
        var hold = _cluster.Server.Faults.Add(new FaultRule(FaultKind.TooManyRequests) { Verb = "patch", Resource = "components", Namespace = _ns, Times = 1, RetryAfter = TimeSpan.FromSeconds(4) });

        var set = Task.Run(() => Run("Set-DaprComponentScope -Namespace $ns -Name statestore -AppId order-api, inventory-api -PassThru"));
        Assert.True(SpinWait.SpinUntil(() => hold.Fired > 0 || set.IsCompleted, TimeSpan.FromSeconds(60)), "Set-DaprComponentScope never sent its PATCH.");
        Assert.False(set.IsCompleted, "Set-DaprComponentScope ended before its PATCH was held.");

        await kubectl.SucceedAsync("patch", "components.dapr.io", "statestore", "-n", _ns, "--type=json", "-p", """[{"op":"add","path":"/scopes/-","value":"audit-api"}]""");
        var result = (await set).ThrowOnError();

        Assert.Equal(1, hold.Fired);
        Assert.Equal(new[] { "order-api", "audit-api", "inventory-api" }, Scopes("statestore"));
        Assert.Equal(new[] { "order-api", "audit-api", "inventory-api" }, (IEnumerable<string>)Assert.Single(result.Output).Properties["Scopes"].Value);
        Assert.Equal(1, _cluster.Server.Requests.Count(r => r.Resource == "components" && r.Namespace == _ns && r.Method == "PATCH" && r.StatusCode == 409));
        Assert.Contains(result.Warnings, w => w.Contains("changed by someone else", StringComparison.Ordinal) && w.Contains("audit-api", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatIf_and_refusals_change_nothing_in_the_cluster()
    {
        _cluster.Server.Apply($"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {{name: statestore, namespace: {_ns}}}\nspec: {{type: state.redis, version: v1}}\nscopes: [order-api]\n");
        var version = ResourceVersion("statestore");

        var whatIf = _session.Render("Set-DaprComponentScope -Namespace $ns -Name statestore -AppId inventory-api -WhatIf", Variables());
        var refused = Run("Remove-DaprComponentScope -Namespace $ns -Name statestore -AppId order-api");
        var invalid = Run("Add-DaprComponentScope -Namespace $ns -Name statestore -AppId Inventory_API");
        var missing = Run("Add-DaprComponentScope -Namespace $ns -Name nope -AppId inventory-api");

        Assert.Contains($"Performing the operation \"Set scopes to inventory-api (currently order-api)\" on target \"component {_ns}/statestore\"", whatIf);
        Assert.StartsWith("ComponentScopeWouldUnscope,", Assert.Single(refused.AllErrors).FullyQualifiedErrorId);
        Assert.StartsWith("InvalidAppId,", Assert.Single(invalid.AllErrors).FullyQualifiedErrorId);
        var notFound = Assert.Single(missing.AllErrors);
        Assert.StartsWith("ComponentNotFound,", notFound.FullyQualifiedErrorId);
        Assert.Equal("nope", notFound.TargetObject);
        Assert.Equal(version, ResourceVersion("statestore"));
    }

    [Fact]
    public void Warns_about_misspelled_scopes_and_app_ids_no_workload_has()
    {
        _cluster.Server.Apply($"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {{name: typo, namespace: {_ns}}}\nspec: {{type: state.redis, version: v1}}\nscope: [order-api]\n---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {{name: stale, namespace: {_ns}}}\nspec: {{type: state.redis, version: v1}}\nscopes: [order-api, retired-api]\n");

        var result = Run("Get-DaprComponentScope -Namespace $ns -Name typo, stale").ThrowOnError();

        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.StartsWith($"Component '{_ns}/typo' has 'scope', which Dapr ignores", StringComparison.Ordinal) && w.Contains("every app in its namespace", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith($"Component '{_ns}/stale' lists 'retired-api'", StringComparison.Ordinal));
        var typo = result.Output.Single(o => (string)o.Properties["Name"].Value == "typo");
        Assert.Equal((false, "cluster"), ((bool)typo.Properties["IsScoped"].Value, (string)typo.Properties["Source"].Value));
    }

    public void Dispose() => _session.Dispose();

    private Dictionary<string, object?> Variables() => new() { ["ns"] = _ns };

    private PowerShellResult Run(string script) => _session.Run(script, Variables());

    private int WorkloadLists() => _cluster.Server.Requests.Count(r => r.Verb == "list" && r.Resource == "deployments" && r.Namespace == _ns);

    private JsonObject Component(string name) => _cluster.Server.Get("dapr.io", "v1alpha1", "components", _ns, name)!;

    private string[] Scopes(string name) => (Component(name)["scopes"] as JsonArray ?? new JsonArray()).Select(s => s!.GetValue<string>()).ToArray();

    private string ResourceVersion(string name) => Component(name)["metadata"]!["resourceVersion"]!.GetValue<string>();

    private sealed class TempHome : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("daprsec-kubectl-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
