using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>Every rule's passing and failing fixture applied to the test API server, audited with Test-DaprSecurity.</summary>
public sealed class RuleFixtureClusterTests : IClassFixture<ClusterFixture>, IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "AuditFixtures");
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public RuleFixtureClusterTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(Fixtures).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (folder != "DAPR-AUDIT-002")
            {
                data.Add(folder!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_failing_fixture_fails_the_rule_in_the_cluster(string ruleId)
    {
        var outcomes = Audit(ruleId, "fail");

        Assert.Contains("Fail", outcomes);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_passing_fixture_passes_the_rule_in_the_cluster(string ruleId)
    {
        var outcomes = Audit(ruleId, "pass");

        Assert.DoesNotContain("Fail", outcomes);
        Assert.DoesNotContain("Error", outcomes);
        if (!ruleId.StartsWith("DAPR-AUDIT-", StringComparison.Ordinal))
        {
            Assert.Contains("Pass", outcomes);
        }
    }

    [Fact]
    public void A_namespace_pattern_that_matches_nothing_is_an_error_and_the_gate_fails()
    {
        var result = _session.Run("Test-DaprSecurity -Namespace no-such-* -Quiet");

        Assert.Equal(false, Assert.Single(result.Output).BaseObject);
        Assert.StartsWith("NamespaceNotMatched,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void An_unreachable_cluster_is_an_error_and_the_gate_fails()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"daprsec-unreachable-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(kubeconfig, File.ReadAllText(_cluster.KubeConfig).Replace($":{_cluster.Server.Port}", ":1"));
        try
        {
            var result = _session.Run("Test-DaprSecurity -KubeConfig $kc -Quiet", new Dictionary<string, object?> { ["kc"] = kubeconfig });

            Assert.Equal(false, Assert.Single(result.Output).BaseObject);
            Assert.NotEmpty(result.AllErrors);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    /// <summary>Applies the fixture in a namespace of its own and returns the rule's outcomes there.</summary>
    private IReadOnlyList<string> Audit(string ruleId, string kind)
    {
        var ns = _cluster.NewNamespace("audit");
        var text = File.ReadAllText(Path.Combine(Fixtures, ruleId, kind + ".yaml"))
            .Replace("__NS__", ns, StringComparison.Ordinal)
            .Replace("__NOW__", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), StringComparison.Ordinal);
        _cluster.Server.Apply(text);
        WaitForPods(ns, text);
        return _session.Run(
            "Test-DaprSecurity -Namespace $ns -IncludePass | Where-Object { $_.RuleId -eq $rule -and $_.Namespace -eq $ns } | ForEach-Object { \"$($_.Outcome)\" }",
            new Dictionary<string, object?> { ["ns"] = ns, ["rule"] = ruleId }).ThrowOnError().Output.Select(o => o.ToString()).ToList();
    }

    /// <summary>Rules that look at running pods need the deployment controller to have made them.</summary>
    private void WaitForPods(string ns, string text)
    {
        if (!text.Contains("kind: Deployment", StringComparison.Ordinal))
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_cluster.Server.List("", "v1", "pods", ns).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No pods appeared in {ns} within 20 s.");
            Thread.Sleep(50);
        }
    }

    public void Dispose() => _session.Dispose();
}
