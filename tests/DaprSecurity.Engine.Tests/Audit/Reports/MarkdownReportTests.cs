using DaprSecurity.Output;
using Xunit;
using static DaprSecurity.Engine.Tests.Audit.Reports.AuditRunFixtures;

namespace DaprSecurity.Engine.Tests.Audit.Reports;

public sealed class MarkdownReportTests
{
    [Fact]
    public void Summarises_by_severity_and_area_then_lists_failures_errors_and_suppressions()
    {
        var lines = Render(DaprReportFormat.Markdown, Files()).Split('\n');

        Assert.Equal("## DaprSecurity audit", lines[0]);
        Assert.StartsWith("**Failed**: 2 failed, 1 not evaluated, 1 suppressed, 1 passed, 1 skipped. DaprSecurity 0\\.1\\.0, 2026-12-01 21:00 UTC, files under", lines[2]);
        Assert.Contains("| Critical | 1 | 1 | 0 |", lines);
        Assert.Contains("| High | 1 | 0 | 0 |", lines);
        Assert.Contains("| Medium | 0 | 0 | 1 |", lines);
        Assert.Contains("| SCOPE | 0 | 1 | 1 | 0 |", lines);
        Assert.Contains("| CONFIG | 0 | 0 | 0 | 1 |", lines);
        Assert.Contains("### Failures (2)", lines);
        Assert.Contains("### Not evaluated (1)", lines);
        Assert.Contains("### Suppressed (1)", lines);

        var failures = TableAfter(lines, "### Failures (2)");
        Assert.Equal("| Severity | Rule | Resource | Where | Message | Remediation |", failures[0]);
        Assert.StartsWith("| Critical (new) | [DAPR\\-SECRET\\-001](<https://docs.dapr.io/operations/components/component-secrets/>) | Component shop/statestore | components/state\\.yaml\\:10\\:7 |", failures[2]);
        Assert.EndsWith("| Fix DAPR\\-SECRET\\-001\\: set the \\`dapr\\.io\\` annotation\\. |", failures[2]);
        Assert.StartsWith("| High | [DAPR\\-SIDECAR\\-001](<https://github.com/daprsecurity/DaprSecurity/blob/main/README.md#audit-dapr-security>) |", failures[3]);
        Assert.Contains("| shared bus, reviewed by security |", TableAfter(lines, "### Suppressed (1)")[2]);
    }

    [Fact]
    public void A_clean_run_says_passed_and_has_no_failure_table()
    {
        var markdown = Render(DaprReportFormat.Markdown, Run(null, [Cluster("DAPR-SECRET-001", DaprAuditOutcome.Pass, "shop", "Component", "s", "ok")]));

        Assert.Contains("**Passed**: 0 failed, 0 not evaluated, 0 suppressed, 1 passed, 0 skipped.", markdown);
        Assert.DoesNotContain("### Failures", markdown);
    }

    [Fact]
    public void Hostile_values_stay_inside_their_cell_and_render_literally()
    {
        var lines = Render(DaprReportFormat.Markdown, Hostile()).Split('\n');

        var failures = TableAfter(lines, $"### Failures ({HostileValues.Count * 2})");
        Assert.Equal(HostileValues.Count * 2 + 2, failures.Count);
        Assert.All(failures, row => Assert.Equal(7, UnescapedPipes(row)));
        var suppressed = TableAfter(lines, $"### Suppressed ({HostileValues.Count})");
        Assert.All(suppressed, row => Assert.Equal(6, UnescapedPipes(row)));
        var text = string.Join('\n', lines);
        Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](https://evil", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
        Assert.Contains("\\|\\`code\\`\\|", text, StringComparison.Ordinal);
        Assert.Contains("line1<br>line2<br>", text, StringComparison.Ordinal);
        Assert.True(text.Length < 1024 * 1024, $"{text.Length} characters");
    }

    /// <summary>The header, separator and rows of the table that follows <paramref name="heading"/>.</summary>
    private static List<string> TableAfter(string[] lines, string heading)
        => lines.SkipWhile(l => l != heading).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();

    /// <summary>Cell separators: pipes not escaped by a backslash (a backslash escapes exactly the next character).</summary>
    private static int UnescapedPipes(string row)
    {
        var count = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\')
            {
                i++;
            }
            else if (row[i] == '|')
            {
                count++;
            }
        }

        return count;
    }
}
