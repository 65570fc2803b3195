using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Mtls;

namespace DaprSecurity.Module.Tests.Workloads;

/// <summary>Restarts that really roll the pods (counted by ReplicaSets), and token freshness that never reports a false Stale.</summary>
public sealed class RestartConfirmationTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public RestartConfirmationTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Theory]
    [InlineData("", "Restarted")]
    [InlineData("-Wait -Timeout 20", "RolledOut")]
    public void Two_restarts_of_one_workload_in_quick_succession_both_replace_its_pods(string wait, string status)
    {
        var ns = _cluster.NewNamespace("twice");
        DaprApps.Deploy(Server, ns, "orders");

        var result = _session.Run($"1..2 | ForEach-Object {{ Restart-DaprDeployment -Namespace {ns} {wait} }} | ForEach-Object Status").ThrowOnError();

        Assert.Equal(new[] { status, status }, result.Output.Select(o => o.ToString()));
        Assert.Equal(3, DaprApps.Generation(Server, ns, "orders"));
        Assert.Equal(3, Polling.Eventually(() => DaprApps.ReplicaSets(Server, ns, "orders"), n => n == 3));
    }

    [Fact]
    public async Task Two_RestartOnly_runs_in_quick_succession_both_replace_the_control_planes_pods()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr();
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        var result = session.Run("1..2 | ForEach-Object { Update-DaprTrustBundle -RestartOnly -Timeout 20 -Confirm:$false }").ThrowOnError();

        Assert.Equal(2, result.Information.Count(i => i.Contains("5 workloads restarted in order")));
        Assert.Equal(3, DaprApps.ReplicaSets(server, "dapr-system", "dapr-sentry"));
        Assert.Equal(3, DaprApps.Generation(server, "dapr-system", "dapr-sentry"));
        var placement = server.Get("apps", "v1", "statefulsets", "dapr-system", "dapr-placement-server")!;
        Assert.Equal(3, placement["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public void A_restart_the_server_answers_with_an_unchanged_pod_template_is_an_error_not_a_success()
    {
        var ns = _cluster.NewNamespace("reverted");
        DaprApps.Deploy(Server, ns, "orders");
        Server.Faults.Add(new FaultRule(FaultKind.IgnoreWrite) { Verb = "patch", Resource = "deployments", Namespace = ns });
        try
        {
            var result = _session.Run($"Restart-DaprDeployment -Namespace {ns} -Wait -Timeout 20");

            Assert.Empty(result.Output);
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("RestartNotApplied,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.Equal((1, 1), (DaprApps.Generation(Server, ns, "orders"), DaprApps.ReplicaSets(Server, ns, "orders")));
        }
        finally
        {
            Server.Faults.Reset();
        }
    }

    [Fact]
    public void A_restart_writes_a_restartedAt_to_the_tick_and_the_token_fingerprint_the_new_pods_inherit()
    {
        var ns = _cluster.NewNamespace("stamp");
        DaprApps.Deploy(Server, ns, "orders", appTokenSecret: "app-api-token");
        DaprApps.Secret(Server, ns, "app-api-token", "stamp-test-token-0123456789");

        var fingerprint = _session.Run($"Restart-DaprDeployment -Namespace {ns} -Wait -Timeout 20 | Out-Null; (Get-DaprTokenSecret -Namespace {ns} -Name app-api-token).Fingerprint").ThrowOnError().Output.Single().ToString();

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", DaprApps.RestartedAt(Server, ns, "orders"));
        Assert.Equal(new[] { fingerprint }, DaprApps.PodAnnotation(Server, ns, "orders", "daprsecurity.io/app-token-fingerprint"));
    }

    [Fact]
    public void The_seeds_workloads_and_workloads_annotated_right_after_a_rotation_are_never_falsely_stale()
    {
        var seed = _session.Run("Get-DaprDeployment -Namespace prod-orders, prod-inventory | ForEach-Object TokenStale").ThrowOnError();
        Assert.Equal(2, seed.Output.Count);
        Assert.DoesNotContain(seed.Output, o => o?.BaseObject is true);

        var ns = _cluster.NewNamespace("annotated");
        DaprApps.Deploy(Server, ns, "orders");
        DaprApps.Deploy(Server, ns, "cart");
        _session.Run($"New-DaprAppToken | Set-DaprTokenSecret -Namespace {ns}; Get-DaprDeployment -Namespace {ns} | Set-DaprSidecarAnnotation -AppTokenSecret app-api-token | Out-Null").ThrowOnError();
        Polling.Eventually(
            () => DaprApps.PodAnnotation(Server, ns, "orders", "dapr.io/app-token-secret").Concat(DaprApps.PodAnnotation(Server, ns, "cart", "dapr.io/app-token-secret")).ToList(),
            values => values.Count == 2 && values.All(v => v == "app-api-token"));

        var annotated = _session.Run($"Get-DaprDeployment -Namespace {ns} | ForEach-Object TokenStale").ThrowOnError();
        var restarted = _session.Run($"Get-DaprDeployment -Namespace {ns} | Restart-DaprDeployment -Wait -Timeout 20 | Out-Null; Get-DaprDeployment -Namespace {ns} | ForEach-Object TokenStale").ThrowOnError();

        Assert.Equal(2, annotated.Output.Count);
        Assert.DoesNotContain(annotated.Output, o => o?.BaseObject is true);
        Assert.Equal(new object[] { false, false }, restarted.Output.Select(o => o.BaseObject));
    }

    public void Dispose() => _session.Dispose();
}
