using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>Names the user types complete from the cluster of the typed or default context; nothing when it cannot be reached.</summary>
public sealed class ClusterCompletionTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly KubeConfigFiles _files = new();
    private readonly PowerShellSession _session;

    public ClusterCompletionTests(ClusterFixture cluster)
    {
        _session = cluster.NewSession();

        // Loads the engine and connects once, as any earlier command in a session would; a cold first Tab on a busy
        // machine may take longer than the completion timeout and rightly offer nothing.
        _session.Run("$null = Get-DaprNamespace").ThrowOnError();
    }

    [Theory]
    [InlineData("Get-DaprDeployment -Namespace prod-", "prod-inventory", "prod-orders")]
    [InlineData("Get-DaprNamespace -Name team", "team-a")]
    [InlineData("Get-DaprControlPlane -ControlPlaneNamespace dapr", "dapr-system")]
    [InlineData("Restart-DaprDeployment -Namespace prod-orders -Name ", "orders")]
    [InlineData("Get-DaprAccessMatrix -Namespace prod-orders -AppId ", "orders")]
    [InlineData("Set-DaprComponentScope -Namespace prod-orders -Name ", "pubsub", "statestore")]
    [InlineData("Remove-DaprTokenSecret -Namespace prod-orders -SecretName ", "dapr-api-token")]
    [InlineData("Get-DaprTokenSecret -Namespace prod-inventory -Name ", "app-api-token")]
    public void Names_complete_from_the_cluster(string line, params string[] expected)
        => Assert.Equal(expected, Completions(line));

    [Fact]
    public void An_unreachable_cluster_offers_nothing()
    {
        var path = _files.Write("config", "dev", "dev");

        Assert.Empty(Completions($"Get-DaprDeployment -KubeConfig '{path}' -Namespace prod-"));
    }

    [Fact]
    public void Context_completion_resolves_a_relative_KubeConfig_against_the_current_location()
    {
        _files.Write("relative.yaml", "dev", "dev", "prod-eu", "prod-us");

        var matches = _session.Run(
            "$ExecutionContext.SessionState.Path.PushCurrentLocation(''); $null = $ExecutionContext.SessionState.Path.SetLocation($dir); try { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText } finally { $null = $ExecutionContext.SessionState.Path.PopLocation('') }",
            new Dictionary<string, object?> { ["dir"] = _files.Directory, ["line"] = "Get-DaprCertificate -KubeConfig ./relative.yaml -Context prod-" }).ThrowOnError().Output;

        Assert.Equal(new[] { "prod-eu", "prod-us" }, matches.Select(m => m.ToString()));
    }

    public void Dispose()
    {
        _session.Dispose();
        _files.Dispose();
    }

    private IEnumerable<string> Completions(string line)
        => _session.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", new Dictionary<string, object?> { ["line"] = line })
            .ThrowOnError().Output.Select(o => o.ToString()).ToList();
}
