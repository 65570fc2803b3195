using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Fleet;

/// <summary>A fleet command with one cluster down: the others finish, and one error names the context that failed.</summary>
public sealed class FleetOutageTests : IClassFixture<FleetFixture>
{
    private readonly FleetFixture _fleet;

    public FleetOutageTests(FleetFixture fleet) => _fleet = fleet;

    [Fact]
    public async Task A_stopped_cluster_is_an_error_for_its_context_and_the_others_return_results()
    {
        await _fleet.StopAsync("prod-west");
        using var session = _fleet.NewSession();

        var result = session.Run("Get-DaprContext | Get-DaprCertificate | ForEach-Object { $_.Context }");

        Assert.Equal(new[] { "prod-east", "stage" }, result.Output.Select(o => o.ToString()).Distinct().Order());
        var error = Assert.Single(result.AllErrors);
        Assert.Contains("prod-west", error.ToString());
        Assert.Null(result.Terminating);
    }
}
