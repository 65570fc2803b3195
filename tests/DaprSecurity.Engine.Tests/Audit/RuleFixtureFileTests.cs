using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>Every rule against its passing and failing fixture, as files: outcome, and the line of the offending field.</summary>
public sealed class RuleFixtureFileTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in new SecurityAuditService().Rules)
        {
            data.Add(rule.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_failing_fixture_fails_the_rule_at_the_marked_line(string ruleId)
    {
        var rule = new SecurityAuditService().Rules.Single(r => r.Id == ruleId);
        if (rule.AppliesTo == DaprRuleTarget.Cluster)
        {
            var skipped = Audit(ruleId, "fail").Where(r => r.RuleId == ruleId).ToList();
            Assert.Equal(DaprAuditOutcome.Skipped, Assert.Single(skipped).Outcome);
            Assert.Contains("needs the live cluster", skipped[0].Message);
            return;
        }

        var results = Audit(ruleId, "fail").Where(r => r.RuleId == ruleId && r.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error).ToList();
        var failure = Assert.Single(results);
        Assert.Equal("fail.yaml", failure.Path);
        Assert.Equal(AuditFixtures.ExpectedLine(ruleId), failure.Line);
        Assert.True(failure.Column > 0 || ruleId == "DAPR-AUDIT-002");
        Assert.Equal("", failure.Context);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_passing_fixture_passes_the_rule(string ruleId)
    {
        var rule = new SecurityAuditService().Rules.Single(r => r.Id == ruleId);
        var results = Audit(ruleId, "pass").Where(r => r.RuleId == ruleId).ToList();
        if (rule.AppliesTo == DaprRuleTarget.Cluster)
        {
            Assert.Equal(DaprAuditOutcome.Skipped, Assert.Single(results).Outcome);
            return;
        }

        Assert.DoesNotContain(results, r => r.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error);
        if (rule.Area != "AUDIT")
        {
            Assert.Contains(results, r => r.Outcome == DaprAuditOutcome.Pass);
        }
    }

    private static IReadOnlyList<DaprSecurityResult> Audit(string ruleId, string kind)
    {
        using var folder = new TempFolder();
        if (AuditFixtures.Exists(ruleId))
        {
            folder.Write(kind + ".yaml", AuditFixtures.Text(ruleId, kind, "shop"));
        }
        else
        {
            folder.Write(kind + ".yaml", AuditFixtures.Text("DAPR-SIDECAR-001", "pass", "shop"));
        }

        return new SecurityAuditService().AuditFiles(new[] { folder.Path }, new DaprAuditOptions { IncludePass = true }, new FakeEngineHost()).ToList();
    }
}
