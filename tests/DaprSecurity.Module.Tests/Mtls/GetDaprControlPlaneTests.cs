using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>A control plane in a namespace that is not dapr-system, so nothing can pass by assuming the default.</summary>
public sealed class DaprOpsClusterFixture : ClusterFixture
{
    public const string ControlPlaneNamespace = "dapr-ops";

    protected override DaprSeedOptions SeedOptions => new() { ControlPlaneNamespace = ControlPlaneNamespace, Version = "1.15.4", AppNamespaces = ["shop-orders"] };
}

public sealed class GetDaprControlPlaneTests : IClassFixture<DaprOpsClusterFixture>, IDisposable
{
    private readonly DaprOpsClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public GetDaprControlPlaneTests(DaprOpsClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    [Fact]
    public void Finds_the_control_plane_namespace_and_lists_every_service_in_restart_order()
    {
        var services = _session.Run("Get-DaprControlPlane").ThrowOnError().Output;

        Assert.Equal(new[] { "dapr-sentry", "dapr-operator", "dapr-placement-server", "dapr-scheduler-server", "dapr-sidecar-injector" }, services.Select(s => s.Properties["Name"].Value));
        Assert.Equal(new[] { "Sentry", "Operator", "Placement", "Scheduler", "SidecarInjector" }, services.Select(s => s.Properties["Role"].Value.ToString()));
        Assert.All(services, s =>
        {
            Assert.Equal(DaprOpsClusterFixture.ControlPlaneNamespace, s.Properties["Namespace"].Value);
            Assert.Equal("1.15.4", s.Properties["Version"].Value);
            Assert.Equal(1, s.Properties["DesiredReplicas"].Value);
        });
        Assert.Equal("StatefulSet", services[2].Properties["Kind"].Value.ToString());
        Assert.Equal("DaprSecurity.Output.DaprControlPlaneComponent", services[0].TypeNames[0]);
    }

    [Fact]
    public void Healthy_services_report_Running_with_every_replica_ready()
    {
        var services = Eventually(() => _session.Run("Get-DaprControlPlane").ThrowOnError().Output, s => s.Count == 5 && s.All(x => (bool)x.Properties["Healthy"].Value));

        Assert.All(services, s =>
        {
            Assert.Equal("Running", s.Properties["Status"].Value);
            Assert.Equal(1, s.Properties["ReadyReplicas"].Value);
        });
    }

    [Theory]
    [InlineData("Get-DaprControlPlane -ControlPlaneNamespace dapr", "The namespace 'dapr' given as -ControlPlaneNamespace does not exist")]
    [InlineData("Test-DaprMtls -ControlPlaneNamespace dapr", "The namespace 'dapr' given as -ControlPlaneNamespace does not exist")]
    [InlineData("Get-DaprCertificate -ControlPlaneNamespace dapr", "The namespace 'dapr' given as -ControlPlaneNamespace does not exist")]
    [InlineData("Get-DaprControlPlane -ControlPlaneNamespace default", "No Dapr control plane in namespace 'default'")]
    [InlineData("Test-DaprMtls -ControlPlaneNamespace shop-orders", "No Dapr control plane in namespace 'shop-orders'")]
    [InlineData("Get-DaprCertificate -ControlPlaneNamespace default", "No Dapr control plane in namespace 'default'")]
    public void A_control_plane_namespace_that_does_not_exist_or_holds_no_control_plane_is_an_error_naming_it(string script, string message)
    {
        var result = _session.Run(script);

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("DaprControlPlaneNotFound,", error.FullyQualifiedErrorId);
        Assert.StartsWith(message, error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("statefulsets", "dapr-scheduler-server", "Scheduler", "StatefulSet")]
    [InlineData("deployments", "dapr-sidecar-injector", "SidecarInjector", "Deployment")]
    [InlineData("deployments", "dapr-sentry", "Sentry", "Deployment")]
    public async Task A_deleted_service_is_an_unhealthy_Not_found_row_in_its_place(string resource, string name, string role, string kind)
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr(new DaprSeedOptions { AppNamespaces = [] });
        Assert.True(server.Delete("apps", "v1", resource, "dapr-system", name));
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        var rows = session.Run("Get-DaprControlPlane -ControlPlaneNamespace dapr-system").ThrowOnError().Output;

        Assert.Equal(new[] { "Sentry", "Operator", "Placement", "Scheduler", "SidecarInjector" }, rows.Select(r => r.Properties["Role"].Value.ToString()));
        var missing = Assert.Single(rows, r => r.Properties["Role"].Value.ToString() == role);
        Assert.Equal((name, false, "Not found", kind, "0/0"), ((string)missing.Properties["Name"].Value, (bool)missing.Properties["Healthy"].Value, (string)missing.Properties["Status"].Value, missing.Properties["Kind"].Value.ToString()!, (string)missing.Properties["Ready"].Value));
    }

    [Fact]
    public async Task A_control_plane_older_than_Dapr_1_14_is_not_missing_a_scheduler()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr(new DaprSeedOptions { Version = "1.13.6", AppNamespaces = [] });
        server.Delete("apps", "v1", "statefulsets", "dapr-system", "dapr-scheduler-server");
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        var rows = session.Run("Get-DaprControlPlane").ThrowOnError().Output;

        Assert.Equal(new[] { "Sentry", "Operator", "Placement", "SidecarInjector" }, rows.Select(r => r.Properties["Role"].Value.ToString()));
    }

    [Fact]
    public async Task Without_the_daprsystem_Configuration_MtlsEnabled_is_not_a_pass()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr(new DaprSeedOptions { AppNamespaces = [] });
        Assert.True(server.Delete("dapr.io", "v1alpha1", "configurations", "dapr-system", "daprsystem"));
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        foreach (var script in new[] { "Test-DaprMtls", "Test-DaprMtls -ControlPlaneNamespace dapr-system" })
        {
            var report = session.Run(script).ThrowOnError().Output.Single();
            var check = ((System.Collections.IEnumerable)report.Properties["Checks"].Value).Cast<object>().Select(c => new System.Management.Automation.PSObject(c)).Single(c => (string)c.Properties["Name"].Value == "MtlsEnabled");

            Assert.Equal("Warning", check.Properties["Result"].Value.ToString());
            Assert.Contains("There is no Configuration dapr-system/daprsystem", (string)check.Properties["Detail"].Value);
            Assert.NotEqual("Pass", report.Properties["Verdict"].Value.ToString());
        }
    }

    [Fact]
    public async Task A_crash_looping_Sentry_is_unhealthy_with_the_reason_and_fails_SentryHealthy()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr(new DaprSeedOptions { AppNamespaces = [] });
        var sentry = server.Get("apps", "v1", "deployments", "dapr-system", "dapr-sentry")!;
        sentry["spec"]!["template"]!["metadata"]!["annotations"]!["test.daprsecurity.io/rollout"] = "fail";
        server.Apply(sentry.ToJsonString());
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        var row = Eventually(() => session.Run("Get-DaprControlPlane").ThrowOnError().Output[0], r => !(bool)r.Properties["Healthy"].Value);
        var check = session.Run("(Test-DaprMtls).Checks | Where-Object Name -eq SentryHealthy").ThrowOnError().Output.Single();

        Assert.Equal("dapr-sentry", row.Properties["Name"].Value);
        Assert.False((bool)row.Properties["Healthy"].Value);
        Assert.StartsWith("Waiting (CrashLoopBackOff)", (string)row.Properties["Status"].Value);
        Assert.Equal("Fail", check.Properties["Result"].Value.ToString());
        Assert.Contains("not healthy", (string)check.Properties["Detail"].Value);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// Re-reads until <paramref name="done"/> holds (controllers report readiness asynchronously); fails the test, showing
    /// the last value read, when it does not hold within 30 s.
    /// </summary>
    internal static T Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var value = default(T)!;
        if (!SpinWait.SpinUntil(() => done(value = read()), TimeSpan.FromSeconds(30)))
        {
            throw new Xunit.Sdk.XunitException($"The condition did not hold within 30 s; last read: {Describe(value)}");
        }

        return value;
    }

    private static string Describe<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? "[" + string.Join(", ", items.Cast<object?>()) + "]"
        : value?.ToString() ?? "null";
}
