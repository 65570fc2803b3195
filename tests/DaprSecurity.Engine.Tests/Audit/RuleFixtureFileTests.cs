using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>Every rule against its passing and failing fixtures, as files: outcome, message, and the line of the offending field.</summary>
public sealed class RuleFixtureFileTests
{
    private static readonly IReadOnlyList<DaprSecurityRule> Rules = new SecurityAuditService().Rules;

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (ruleId, fixture) in AuditFixtures.All())
        {
            data.Add(ruleId, fixture);
        }

        return data;
    }

    [Fact]
    public void Every_rule_of_the_catalogue_has_a_passing_and_a_failing_fixture_and_every_fixture_a_rule()
    {
        var missing = Rules.SelectMany(r => new[] { "pass", "fail" }.Where(f => !AuditFixtures.Exists(r.Id, f)).Select(f => $"{r.Id}/{f}.yaml")).ToList();

        Assert.True(missing.Count == 0, $"Fixtures missing under tests/AuditFixtures: {string.Join(", ", missing)}");
        Assert.Empty(AuditFixtures.RuleIds().Except(Rules.Select(r => r.Id)));
        Assert.True(AuditFixtures.All().Count() >= Rules.Count * 2);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_fixture_passes_or_fails_its_rule_at_the_marked_line(string ruleId, string fixture)
    {
        var rule = Rules.Single(r => r.Id == ruleId);
        var results = Audit(ruleId, fixture).Where(r => r.RuleId == ruleId).ToList();
        if (rule.AppliesTo == DaprRuleTarget.Cluster)
        {
            var skipped = Assert.Single(results);
            Assert.Equal(DaprAuditOutcome.Skipped, skipped.Outcome);
            Assert.Contains("needs the live cluster", skipped.Message);
            return;
        }

        var failures = results.Where(r => r.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error).ToList();
        if (!AuditFixtures.IsFailing(fixture))
        {
            Assert.Empty(failures);
            Assert.True(rule.Area == "AUDIT" || results.Any(r => r.Outcome == DaprAuditOutcome.Pass), $"{ruleId} has no passing result for {fixture}.yaml.");
            return;
        }

        var failure = Assert.Single(failures);
        Assert.Equal(fixture + ".yaml", failure.Path);
        Assert.Equal(AuditFixtures.ExpectedLine(ruleId, fixture), failure.Line);
        Assert.True(failure.Column > 0 || ruleId == "DAPR-AUDIT-002");
        Assert.Equal("", failure.Context);
        if (AuditFixtures.ExpectedMessage(ruleId, fixture) is { } expected)
        {
            Assert.Contains(expected, failure.Message);
        }
    }

    private static IReadOnlyList<DaprSecurityResult> Audit(string ruleId, string fixture)
    {
        using var folder = new TempFolder();
        folder.Write(fixture + ".yaml", AuditFixtures.Text(ruleId, fixture, "shop"));
        return new SecurityAuditService().AuditFilesAsync(new[] { folder.Path }, new DaprAuditOptions { IncludePass = true }, new FakeEngineHost(), CancellationToken.None).ToBlockingEnumerable().ToList();
    }
}
