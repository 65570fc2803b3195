using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Fleet;

/// <summary>Piped objects are acted on in the cluster they came from, never in the current context (stage).</summary>
public sealed class ClusterPipelineTests : IClassFixture<FleetFixture>, IDisposable
{
    private static int s_namespaces;
    private readonly FleetFixture _fleet;
    private readonly PowerShellSession _session;
    private readonly string _ns = $"pipe-{Interlocked.Increment(ref s_namespaces)}";

    public ClusterPipelineTests(FleetFixture fleet)
    {
        _fleet = fleet;
        _session = fleet.NewSession();
        foreach (var server in fleet.Servers.Values)
        {
            DaprApps.Deploy(server, _ns, "orders", appTokenSecret: "app-api-token");
            DaprApps.Deploy(server, _ns, "cart", appTokenSecret: "app-api-token");
            DaprApps.Secret(server, _ns, "app-api-token", "old-token-value-0123456789abcdef");
        }
    }

    [Fact]
    public void Deployments_from_another_context_are_restarted_there()
    {
        var result = Run("Get-DaprDeployment -Context prod-east -Namespace $ns -Name orders | Restart-DaprDeployment | ForEach-Object { \"$($_.Context) $($_.Namespace)/$($_.Name)\" }").ThrowOnError();

        Assert.Equal(new[] { $"prod-east {_ns}/orders" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { "prod-east" }, RestartedIn("orders"));
        Assert.Empty(RestartedIn("cart"));
    }

    [Fact]
    public void Token_secrets_from_another_context_are_removed_there()
    {
        Run("Get-DaprTokenSecret -Context prod-west -Namespace $ns -Name app-api-token | Remove-DaprTokenSecret -Force -Confirm:$false").ThrowOnError();

        Assert.Null(DaprApps.StoredToken(_fleet.Servers["prod-west"], _ns, "app-api-token"));
        Assert.NotNull(DaprApps.StoredToken(_fleet.Servers["prod-east"], _ns, "app-api-token"));
        Assert.NotNull(DaprApps.StoredToken(_fleet.Servers["stage"], _ns, "app-api-token"));
    }

    [Fact]
    public void A_rotation_written_to_one_context_restarts_in_that_context()
    {
        var result = Run("New-DaprAppToken | Set-DaprTokenSecret -Context prod-east -Namespace $ns -PassThru | Restart-DaprDeployment | ForEach-Object { \"$($_.Context) $($_.Name)\" }").ThrowOnError();

        Assert.Equal(new[] { "prod-east cart", "prod-east orders" }, result.Output.Select(o => o.ToString()).Order());
        Assert.Equal(new[] { "prod-east" }, RestartedIn("orders"));
        Assert.Equal("old-token-value-0123456789abcdef", DaprApps.StoredToken(_fleet.Servers["stage"], _ns, "app-api-token"));
    }

    [Fact]
    public void Mixed_input_from_two_contexts_is_grouped_and_each_group_runs_in_its_cluster()
    {
        Run("""
            $east = Get-DaprDeployment -Context prod-east -Namespace $ns -Name orders
            $west = Get-DaprDeployment -Context prod-west -Namespace $ns -Name cart
            @($east, $west) | Restart-DaprDeployment
            """).ThrowOnError();

        Assert.Equal(new[] { "prod-east" }, RestartedIn("orders"));
        Assert.Equal(new[] { "prod-west" }, RestartedIn("cart"));
    }

    [Fact]
    public void An_explicit_context_that_conflicts_with_a_piped_object_is_an_error_for_it()
    {
        var result = Run("Get-DaprDeployment -Context prod-east -Namespace $ns -Name orders | Restart-DaprDeployment -Context prod-west");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("KubeContextConflict", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("prod-east", error.ToString());
        Assert.Empty(RestartedIn("orders"));
    }

    [Fact]
    public void Restart_with_Namespace_and_Name_restarts_one_workload()
    {
        Run("Restart-DaprDeployment -Context prod-west -Namespace $ns -Name orders").ThrowOnError();

        Assert.Equal(new[] { "prod-west" }, RestartedIn("orders"));
        Assert.Empty(RestartedIn("cart"));
    }

    [Fact]
    public void Piped_contexts_bind_as_contexts_never_as_namespaces()
    {
        var namespaces = Run("Get-DaprContext prod-* | Get-DaprNamespace -Name $ns | ForEach-Object { \"$($_.Context) $($_.Name)\" }").ThrowOnError();
        var workloads = Run("Get-DaprContext prod-east | Get-DaprDeployment -Namespace $ns | ForEach-Object { \"$($_.Context) $($_.Name)\" }").ThrowOnError();
        var restart = Run("Get-DaprContext prod-east | Restart-DaprDeployment -WhatIf");

        Assert.Equal(new[] { $"prod-east {_ns}", $"prod-west {_ns}" }, namespaces.Output.Select(o => o.ToString()).Order());
        Assert.Equal(new[] { "prod-east cart", "prod-east orders" }, workloads.Output.Select(o => o.ToString()).Order());
        Assert.NotEmpty(restart.AllErrors);
        Assert.Empty(RestartedIn("orders"));
    }

    [Fact]
    public void Each_row_once_however_many_objects_are_piped()
    {
        var direct = Run("Get-DaprAccessMatrix -Context prod-east -Namespace $ns").ThrowOnError().Output.Count;
        var piped = Run("Get-DaprDeployment -Context prod-east -Namespace $ns | Get-DaprAccessMatrix").ThrowOnError();
        var secrets = Run("Get-DaprDeployment -Context prod-east -Namespace $ns | Get-DaprTokenSecret").ThrowOnError();

        Assert.Equal(direct, piped.Output.Count);
        Assert.All(piped.Output, o => Assert.Equal("prod-east", o.Properties["Context"].Value));
        Assert.Single(secrets.Output);
    }

    [Fact]
    public void A_context_wildcard_reads_every_matching_cluster_and_marks_each_result()
    {
        var result = Run("Get-DaprCertificate -Context prod-* | ForEach-Object { $_.Context }").ThrowOnError();
        var piped = Run("Get-DaprContext | Get-DaprControlPlane | ForEach-Object { $_.Context }").ThrowOnError();
        var unmatched = Run("Get-DaprControlPlane -Context nothing-*");

        Assert.Equal(new[] { "prod-east", "prod-west" }, result.Output.Select(o => o.ToString()).Distinct().Order());
        Assert.Equal(FleetFixture.Contexts, piped.Output.Select(o => o.ToString()).Distinct().Order());
        Assert.Equal("KubeContextNotMatched", Assert.Single(unmatched.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
    }

    public void Dispose() => _session.Dispose();

    private PowerShellResult Run(string script) => _session.Run(script, new Dictionary<string, object?> { ["ns"] = _ns });

    /// <summary>The contexts in which <paramref name="app"/> of this test's namespace was restarted.</summary>
    private IEnumerable<string> RestartedIn(string app)
        => _fleet.Servers.Where(s => DaprApps.RestartedAt(s.Value, _ns, app) is not null).Select(s => s.Key).Order().ToList();
}
