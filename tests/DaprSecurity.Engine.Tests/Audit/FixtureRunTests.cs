using System.Text.Json.Nodes;
using System.Xml.Linq;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>
/// Every fixture of every rule in one folder, each in a namespace of its own (ns-1, ns-2, ...): the reports of that
/// run, and the rules' independence of other namespaces, which lets a cluster audit write each namespace's results
/// as soon as it is read.
/// </summary>
public sealed class FixtureRunTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<string> _files = new();

    public FixtureRunTests()
    {
        foreach (var (ruleId, fixture) in AuditFixtures.All())
        {
            _files.Add(_folder.Write(Path.Combine(ruleId, fixture + ".yaml"), AuditFixtures.Text(ruleId, fixture, $"ns-{_files.Count + 1}")));
        }
    }

    [Fact]
    public void The_SARIF_of_the_fixture_run_validates_against_the_official_schema_and_holds_every_failure()
    {
        var (results, sarif) = Run(DaprReportFormat.Sarif);

        Assert.Empty(SarifSchema.Errors(sarif));
        var run = JsonNode.Parse(sarif)!["runs"]![0]!;
        Assert.Equal(results.Count(r => r.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Suppressed), run["results"]!.AsArray().Count);
        Assert.Equal(results.Count(r => r.Outcome == DaprAuditOutcome.Error), run["invocations"]![0]!["toolExecutionNotifications"]!.AsArray().Count);
        Assert.Contains(results, r => r.Outcome == DaprAuditOutcome.Error);
        Assert.All(run["results"]!.AsArray(), r => Assert.StartsWith("DAPR-", (string?)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]));
    }

    [Fact]
    public void The_NUnit3_and_JUnit_files_of_the_fixture_run_parse_back_to_its_counts()
    {
        var (results, nunitText) = Run(DaprReportFormat.NUnit3);
        var nunit = XDocument.Parse(nunitText).Root!;
        var junit = XDocument.Parse(Run(DaprReportFormat.JUnit).Report).Root!;
        int Count(params DaprAuditOutcome[] outcomes) => results.Count(r => outcomes.Contains(r.Outcome));

        Assert.True(Count(DaprAuditOutcome.Fail) > 40, $"{Count(DaprAuditOutcome.Fail)} failures");
        Assert.Equal(
            (results.Count, Count(DaprAuditOutcome.Pass), Count(DaprAuditOutcome.Fail, DaprAuditOutcome.Error), Count(DaprAuditOutcome.Skipped, DaprAuditOutcome.Suppressed)),
            ((int)nunit.Attribute("total")!, (int)nunit.Attribute("passed")!, (int)nunit.Attribute("failed")!, (int)nunit.Attribute("skipped")!));
        Assert.Equal(results.Count, nunit.Descendants("test-case").Count());
        Assert.Equal(
            (results.Count, Count(DaprAuditOutcome.Fail), Count(DaprAuditOutcome.Error), Count(DaprAuditOutcome.Skipped, DaprAuditOutcome.Suppressed)),
            ((int)junit.Attribute("tests")!, (int)junit.Attribute("failures")!, (int)junit.Attribute("errors")!, (int)junit.Attribute("skipped")!));
        Assert.Equal(results.Count, junit.Descendants("testcase").Count());
    }

    [Fact]
    public void Every_rule_judges_a_namespace_alone_the_same_as_beside_every_other()
    {
        var together = Results(Audit(new[] { _folder.Path }));
        var alone = _files.SelectMany(file =>
        {
            using var single = new TempFolder();
            single.Write(Path.GetRelativePath(_folder.Path, file), File.ReadAllText(file));
            return Results(Audit(new[] { single.Path }));
        }).ToHashSet();

        Assert.Equal(alone.Order(StringComparer.Ordinal), together.Order(StringComparer.Ordinal));
    }

    /// <summary>What a result says, without the run-level rules (a file alone may hold no manifest at all).</summary>
    private static HashSet<string> Results(IEnumerable<DaprSecurityResult> results)
        => results.Where(r => !r.RuleId.StartsWith("DAPR-AUDIT-", StringComparison.Ordinal))
            .Select(r => $"{r.RuleId} {r.Outcome} {r.Namespace}/{r.Kind}/{r.Name} {r.Path}:{r.Line}:{r.Column} {r.Message}")
            .ToHashSet();

    private (IReadOnlyList<DaprSecurityResult> Results, string Report) Run(DaprReportFormat format)
    {
        var report = Path.Combine(Path.GetTempPath(), $"daprsec-fixtures-{Guid.NewGuid():N}");
        try
        {
            var results = Audit(new[] { _folder.Path }, new DaprAuditOptions { IncludePass = true, OutputFormat = format, OutputPath = report });
            return (results, File.ReadAllText(report));
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static IReadOnlyList<DaprSecurityResult> Audit(IReadOnlyList<string> paths, DaprAuditOptions? options = null)
        => new SecurityAuditService().AuditFilesAsync(paths, options ?? new DaprAuditOptions { IncludePass = true }, new FakeEngineHost(), CancellationToken.None).ToBlockingEnumerable().ToList();

    public void Dispose() => _folder.Dispose();
}
