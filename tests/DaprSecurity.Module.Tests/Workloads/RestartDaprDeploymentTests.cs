using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

public sealed class RestartDaprDeploymentTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public RestartDaprDeploymentTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Fact]
    public void With_Wait_a_failed_rollout_stops_the_rotation_before_the_next_namespace()
    {
        DaprApps.Deploy(Server, "halt-a", "orders", appTokenSecret: "app-api-token", rollout: "fail");
        DaprApps.Deploy(Server, "halt-b", "cart", appTokenSecret: "app-api-token");

        var result = _session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace halt-* -ThrottleLimit 1 -PassThru | Restart-DaprDeployment -Wait -Timeout 20 | ForEach-Object { \"$($_.Namespace)=$($_.Status)\" }");

        Assert.Equal(new[] { "halt-a=Failed", "halt-b=Skipped" }, result.Output.Select(o => o.ToString()));
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("RolloutFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("progress deadline", error.ToString());
        Assert.Contains(result.Warnings, w => w.Contains("not restarted: Deployment halt-b/cart"));
        Assert.Equal(1, DaprApps.Generation(Server, "halt-b", "cart"));
        Assert.NotNull(DaprApps.StoredToken(Server, "halt-b", "app-api-token"));
    }

    [Fact]
    public async Task Without_Wait_restarts_start_as_each_secret_result_arrives_and_run_concurrently_across_namespaces_up_to_ThrottleLimit()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);
        var namespaces = Enumerable.Range(0, 6).Select(i => $"pipe-{i}").ToList();
        foreach (var ns in namespaces)
        {
            DaprApps.Deploy(server, ns, "orders", appTokenSecret: "app-api-token");
            DaprApps.Deploy(server, ns, "cart", appTokenSecret: "app-api-token");
        }

        // The last namespace's secret write is held until a restart reaches the server, which can only happen if restarts
        // start before the last secret result (the safety release after a minute only keeps a broken build from hanging).
        var releasedByRestart = false;
        var lastSecret = server.Faults.Add(new FaultRule(FaultKind.Hold) { Resource = "secrets", Namespace = "pipe-5", When = r => r.Verb is "create" or "update" or "patch" });
        server.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "patch", Resource = "deployments", When = _ => { releasedByRestart = true; lastSecret.Release(); return false; } });
        _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => lastSecret.Release(), TaskScheduler.Default);
        server.Faults.Latency = TimeSpan.FromMilliseconds(50);

        var result = session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace pipe-* -PassThru | Restart-DaprDeployment -ThrottleLimit 3 | ForEach-Object Status").ThrowOnError();

        Assert.Equal(Enumerable.Repeat("Restarted", 12), result.Output.Select(o => o.ToString()));
        Assert.True(releasedByRestart, "no restart started before the last secret result arrived");
        var patches = server.Requests.Entries.Where(r => r.Verb == "patch" && r.Resource == "deployments").Select(r => (r.Namespace, Start: r.Time - r.Duration, End: r.Time)).ToList();
        Assert.Equal(12, patches.Count);
        var overlapping = patches.Select(p => patches.Where(q => q.Start < p.End && p.Start < q.End && q.Start <= p.Start).ToList()).ToList();
        Assert.InRange(overlapping.Max(o => o.Count), 2, 3);
        Assert.Contains(overlapping, o => o.Select(q => q.Namespace).Distinct().Count() > 1);
    }

    [Fact]
    public void Paused_deployments_are_reported_not_restarted()
    {
        DaprApps.Deploy(Server, "paused-a", "orders", paused: true);
        DaprApps.Deploy(Server, "paused-a", "cart");

        var result = _session.Run("Restart-DaprDeployment -Namespace paused-a | ForEach-Object { \"$($_.Name)=$($_.Status)\" }").ThrowOnError();

        Assert.Equal(new[] { "cart=Restarted", "orders=Paused" }, result.Output.Select(o => o.ToString()).Order());
        Assert.Contains(result.Warnings, w => w.Contains("Deployment paused-a/orders is paused"));
        Assert.Equal((1, 2), (DaprApps.Generation(Server, "paused-a", "orders"), DaprApps.Generation(Server, "paused-a", "cart")));
        Assert.NotNull(DaprApps.RestartedAt(Server, "paused-a", "cart"));
    }

    [Fact]
    public void TokenStale_shows_pods_older_than_their_token_until_they_are_restarted_then_the_fingerprint_decides()
    {
        DaprApps.Deploy(Server, "stale-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "stale-a", "audit");
        var anHourAhead = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        DaprApps.Secret(Server, "stale-a", "app-api-token", "stale-test-token", extra: $"  annotations:\n    daprsecurity.io/token-updated-at: \"{anHourAhead}\"");

        var before = _session.Run("Get-DaprDeployment -Namespace stale-a | ForEach-Object { \"$($_.Name)=$($_.TokenStale)\" }").ThrowOnError();
        var restarted = _session.Run("Get-DaprDeployment -Namespace stale-a | Where-Object TokenStale | Restart-DaprDeployment -Wait -Timeout 20 | ForEach-Object Name").ThrowOnError();
        var after = _session.Run("Get-DaprDeployment -Namespace stale-a | ForEach-Object { \"$($_.Name)=$($_.TokenStale)\" }").ThrowOnError();

        Assert.Equal(new[] { "audit=False", "orders=True" }, before.Output.Select(o => o.ToString()));
        Assert.Equal("orders", Assert.Single(restarted.Output).ToString());
        Assert.Equal(new[] { "audit=False", "orders=False" }, after.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Get_DaprDeployment_shows_the_sidecar_settings_of_Dapr_workloads_only()
    {
        DaprApps.Deploy(Server, "list-a", "orders", appTokenSecret: "app-token", apiTokenSecret: "api-token", replicas: 2);
        DaprApps.Deploy(Server, "list-a", "plain", daprEnabled: false);

        var workload = Assert.Single(_session.Run("Get-DaprDeployment -Namespace list-a").ThrowOnError().Output);

        Assert.Equal("DaprSecurity.Output.DaprWorkloadInfo", workload.TypeNames[0]);
        Assert.Equal(
            ("list-a", "Deployment", "orders", "orders", "app-token", "api-token", 2),
            ((string)workload.Properties["Namespace"].Value, workload.Properties["Kind"].Value.ToString(), (string)workload.Properties["Name"].Value,
             (string)workload.Properties["AppId"].Value, (string)workload.Properties["AppTokenSecret"].Value, (string)workload.Properties["ApiTokenSecret"].Value,
             (int)workload.Properties["DesiredReplicas"].Value));
        Assert.Null(workload.Properties["ListenAddresses"].Value);
        var missing = _session.Run("Get-DaprDeployment -Namespace list-a -Name plain");
        Assert.Equal("WorkloadNotFound", Assert.Single(missing.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void WhatIf_restarts_nothing()
    {
        DaprApps.Deploy(Server, "whatif-r", "orders");

        _session.Run("Get-DaprDeployment -Namespace whatif-r | Restart-DaprDeployment -WhatIf").ThrowOnError();
        var screen = _session.Render("Restart-DaprDeployment -Namespace whatif-r -WhatIf");

        Assert.Contains("What if: Performing the operation \"Restart (rollout restart)\" on target \"Deployment whatif-r/orders\"", screen);
        Assert.Equal(1, DaprApps.Generation(Server, "whatif-r", "orders"));
    }

    public void Dispose() => _session.Dispose();
}
