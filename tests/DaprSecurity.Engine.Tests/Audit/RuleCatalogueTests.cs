using System.Text;
using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>The catalogue's shape, the README's rule table (generated from it) and the guide's Task API example.</summary>
public sealed class RuleCatalogueTests
{
    private const string TableStart = "<!-- rule-catalogue:start (generated from the rule catalogue by RuleCatalogueTests) -->";
    private const string TableEnd = "<!-- rule-catalogue:end -->";
    private static readonly string[] s_areas = { "MTLS", "CTRL", "VER", "SCOPE", "SECRET", "SIDECAR", "TOKEN", "CONFIG", "AUDIT" };

    private static IReadOnlyList<DaprSecurityRule> Rules => new SecurityAuditService().Rules;

    [Fact]
    public void Every_rule_has_a_permanent_id_of_its_area_and_says_what_why_and_how()
    {
        Assert.Equal(Rules.Count, Rules.Select(r => r.Id).Distinct().Count());
        Assert.All(Rules, r =>
        {
            Assert.Matches(@"^DAPR-[A-Z]+-\d{3}$", r.Id);
            Assert.Equal(r.Id.Split('-')[1], r.Area);
            Assert.Contains(r.Area, s_areas);
            Assert.False(string.IsNullOrWhiteSpace(r.Title) || string.IsNullOrWhiteSpace(r.Description) || string.IsNullOrWhiteSpace(r.Rationale) || string.IsNullOrWhiteSpace(r.Remediation), r.Id);
            Assert.EndsWith("#" + r.Id.ToLowerInvariant(), r.HelpUri);
        });
        Assert.True(Rules.Count >= 34);
    }

    [Fact]
    public void The_readme_rule_table_is_the_catalogue()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md lacks the markers {TableStart} ... {TableEnd}.");

        var expected = Table();
        Assert.True(expected == readme[(start + TableStart.Length)..end].Trim('\n'), $"The README rule table differs from the catalogue. Replace the lines between the markers with:\n{expected}");
    }

    [Fact]
    public void The_guides_task_api_passes_and_without_its_hardening_fails_exactly_the_listed_rules()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var hardened = Regex.Match(readme, "<!-- audit-example:hardened:start -->\n```yaml\n(.*?)```\n<!-- audit-example:hardened:end -->", RegexOptions.Singleline).Groups[1].Value;
        var listed = Regex.Match(readme, "<!-- audit-example:unhardened-failures -->\n(.*)\n").Groups[1].Value;
        var unhardened = Regex.Replace(hardened, "^ +dapr\\.io/(config|sidecar-listen-addresses|enable-api-logging|api-token-secret):.*\n", "", RegexOptions.Multiline)
            .Replace("    secretKeyRef:\n      name: redis\n      key: redis-password\n", "    value: \"S3cret!\"\n", StringComparison.Ordinal);

        Assert.NotEqual("", hardened);
        Assert.Empty(Failures(hardened));
        Assert.Equal(listed, string.Join(", ", Failures(unhardened).Select(id => $"`{id}`")));
        Assert.DoesNotContain("S3cret!", string.Join("\n", Audit(unhardened).Select(r => r.Message)));
    }

    private static IReadOnlyList<string> Failures(string manifests)
        => Audit(manifests).Where(r => r.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error).Select(r => r.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();

    private static IReadOnlyList<DaprSecurityResult> Audit(string manifests)
    {
        using var folder = new TempFolder();
        folder.Write("task-api.yaml", manifests);
        return new SecurityAuditService().AuditFilesAsync(new[] { folder.Path }, new DaprAuditOptions(), new FakeEngineHost(), CancellationToken.None).ToBlockingEnumerable().ToList();
    }

    private static string Table()
    {
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        var table = new StringBuilder("| Id | Severity | Applies to | Rule | What it checks | Why it matters | Fix |\n|---|---|---|---|---|---|---|\n");
        foreach (var r in Rules)
        {
            table.Append($"| <a id=\"{r.Id.ToLowerInvariant()}\"></a>`{r.Id}` | {r.Severity} | {r.AppliesTo} | {Cell(r.Title)} | {Cell(r.Description)} | {Cell(r.Rationale)} | {Cell(r.Remediation)} |\n");
        }

        return table.ToString().TrimEnd('\n');
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DaprSecurity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DaprSecurity.sln not found above the test's output folder.");
    }
}
