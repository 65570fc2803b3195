using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>The mTLS rules are Test-DaprMtls's checks: all pass on a healthy control plane, and a disabled mTLS fails DAPR-MTLS-001.</summary>
public sealed class MtlsRuleClusterTests : IClassFixture<ClusterFixture>, IClassFixture<MtlsRuleClusterTests.MtlsDisabledCluster>
{
    private readonly ClusterFixture _healthy;
    private readonly MtlsDisabledCluster _disabled;

    public MtlsRuleClusterTests(ClusterFixture healthy, MtlsDisabledCluster disabled)
    {
        _healthy = healthy;
        _disabled = disabled;
    }

    [Fact]
    public void The_mtls_rules_pass_on_a_healthy_control_plane()
    {
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"DAPR-MTLS-{n:000} Pass"), Outcomes(_healthy));
    }

    [Fact]
    public void Disabled_mtls_fails_the_first_rule_with_the_checks_detail()
    {
        Assert.Contains("DAPR-MTLS-001 Fail", Outcomes(_disabled));
    }

    private static IReadOnlyList<string> Outcomes(ClusterFixture cluster)
    {
        using var session = cluster.NewSession();
        return session.Run("Test-DaprSecurity -Namespace $ns -IncludePass | Where-Object Area -eq MTLS | ForEach-Object { \"$($_.RuleId) $($_.Outcome)\" }", new Dictionary<string, object?> { ["ns"] = cluster.Seed.AppNamespaces[0] })
            .ThrowOnError().Output.Select(o => o.ToString()).ToList();
    }

    /// <summary>A cluster whose daprsystem Configuration disables mTLS.</summary>
    public sealed class MtlsDisabledCluster : ClusterFixture
    {
        protected override DaprSeedOptions SeedOptions => new() { MtlsEnabled = false };
    }
}
