using DaprSecurity.Module.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Mtls;

namespace DaprSecurity.Module.Tests.Fleet;

/// <summary>Writers that follow their change to the end stop at the first cluster where it went wrong: the later clusters are not touched.</summary>
public sealed class FleetWaitStopTests : IClassFixture<FleetFixture>
{
    private readonly FleetFixture _fleet;

    public FleetWaitStopTests(FleetFixture fleet) => _fleet = fleet;

    private KubeApiServer.KubeApiServer East => _fleet.Servers["prod-east"];

    private KubeApiServer.KubeApiServer West => _fleet.Servers["prod-west"];

    [Fact]
    public void Restart_Wait_stops_after_a_failed_rollout_in_the_first_context_and_leaves_the_next_untouched()
    {
        DaprApps.Deploy(East, "waitstop", "orders", rollout: "fail");
        DaprApps.Deploy(East, "waitstop-later", "orders");
        DaprApps.Deploy(West, "waitstop", "orders");
        DaprApps.Deploy(West, "waitstop", "cart");
        using var session = _fleet.NewSession();

        var result = session.Run("Restart-DaprDeployment -Context prod-east, prod-west -Namespace waitstop* -Canary waitstop -Wait -Timeout 60 -Confirm:$false | ForEach-Object { \"$($_.Context)/$($_.Namespace)/$($_.Name)=$($_.Status)\" }");

        Assert.Equal(new[] { "prod-east/waitstop-later/orders=Skipped", "prod-east/waitstop/orders=Failed", "prod-west/waitstop/cart=Skipped", "prod-west/waitstop/orders=Skipped" }, result.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("finish with: Restart-DaprDeployment -Context 'prod-east' -Namespace waitstop-later -Wait", StringComparison.Ordinal));
        Assert.Equal((1, 1), (DaprApps.Generation(West, "waitstop", "orders"), DaprApps.Generation(West, "waitstop", "cart")));
        Assert.Equal((null, null), (DaprApps.RestartedAt(West, "waitstop", "orders"), DaprApps.RestartedAt(West, "waitstop", "cart")));
        Assert.Equal(0, West.Requests.Count(r => r.Verb == "patch" && r.Namespace == "waitstop"));
        Assert.StartsWith("RolloutFailed,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        var warning = Assert.Single(result.Warnings, w => w.Contains("contexts not touched", StringComparison.Ordinal));
        Assert.Contains("in context 'prod-east' went wrong; contexts not touched: 'prod-west'.", warning);
        Assert.Contains($"finish with: Restart-DaprDeployment -KubeConfig '{_fleet.KubeConfig}' -Context 'prod-west' -Namespace waitstop -Wait", warning);
    }

    [Fact]
    public void Restart_Wait_by_name_stops_with_finish_commands_that_name_exactly_the_workloads_left()
    {
        DaprApps.Deploy(East, "namestop", "orders", rollout: "fail");
        DaprApps.Deploy(East, "namestop-later", "orders");
        DaprApps.Deploy(East, "namestop-later", "cart");
        DaprApps.Deploy(West, "namestop", "orders");
        DaprApps.Deploy(West, "namestop", "cart");
        using var session = _fleet.NewSession();

        var result = session.Run("Restart-DaprDeployment -Context prod-east, prod-west -Namespace namestop* -Name orders -Canary namestop -Wait -Timeout 60 -Confirm:$false");

        Assert.Contains(result.Warnings, w => w.Contains("finish with: Restart-DaprDeployment -Context 'prod-east' -Namespace namestop-later -Kind Deployment -Name orders -Wait", StringComparison.Ordinal));
        var warning = Assert.Single(result.Warnings, w => w.Contains("contexts not touched", StringComparison.Ordinal));
        Assert.Contains($"finish with: Restart-DaprDeployment -KubeConfig '{_fleet.KubeConfig}' -Context 'prod-west' -Namespace namestop -Kind Deployment -Name orders -Wait", warning);
    }

    [Fact]
    public void Update_DaprTrustBundle_Restart_stops_after_a_failed_rollout_in_the_first_context_and_leaves_the_next_bundle_and_pods_alone()
    {
        DaprApps.Deploy(East, "bundlestop", "orders", rollout: "fail");
        DaprApps.Deploy(West, "bundlestop", "orders");
        var westRoot = TrustBundleManifests.SecretText(West, "dapr-system", "ca.crt");
        using var session = _fleet.NewSession();

        var result = session.Run("Update-DaprTrustBundle -Context prod-east, prod-west -Restart -Timeout 60 -Confirm:$false");

        Assert.NotEqual(TrustBundleManifests.SecretText(West, "dapr-system", "ca.crt"), TrustBundleManifests.SecretText(East, "dapr-system", "ca.crt"));
        Assert.Equal(westRoot, TrustBundleManifests.SecretText(West, "dapr-system", "ca.crt"));
        Assert.Equal(1, DaprApps.Generation(West, "bundlestop", "orders"));
        Assert.Equal(0, West.Requests.Count(r => r.Verb is "patch" or "update" or "create"));
        Assert.Contains("prod-east", Assert.Single(result.AllErrors).ToString());
        var warning = Assert.Single(result.Warnings, w => w.Contains("contexts not touched", StringComparison.Ordinal));
        Assert.Contains("in context 'prod-east'; contexts not touched: 'prod-west'.", warning);
        Assert.Contains("-Context 'prod-west'", warning);
    }
}
