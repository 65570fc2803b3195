using System.Globalization;
using System.Text;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// A Markdown summary for <c>##vso[task.uploadsummary]</c>, a GitHub job summary or a pull-request comment: counts by
/// severity and by area, then tables of failures, evaluation errors and suppressions. Every cluster- or file-supplied
/// value is escaped for a table cell (pipes, line breaks, backticks, emphasis, links, HTML) and bounded.
/// </summary>
internal static class MarkdownReportWriter
{
    private const int MaxCellLength = 1000;

    public static void Write(AuditRun run, TextWriter writer)
    {
        var results = run.Results;
        int Count(DaprAuditOutcome outcome) => results.Count(r => r.Outcome == outcome);
        var failures = ReportSeverity.MostSevereFirst(results.Where(r => r.Outcome == DaprAuditOutcome.Fail)).ToList();

        writer.WriteLine($"## {ReportTool.Name} audit");
        writer.WriteLine();
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"**{(failures.Count + Count(DaprAuditOutcome.Error) == 0 ? "Passed" : "Failed")}**: {failures.Count} failed, {Count(DaprAuditOutcome.Error)} not evaluated, {Count(DaprAuditOutcome.Suppressed)} suppressed, {Count(DaprAuditOutcome.Pass)} passed, {Count(DaprAuditOutcome.Skipped)} skipped. {ReportTool.Name} {Cell(run.ToolVersion)}, {run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {Target(run)}."));

        writer.WriteLine();
        writer.WriteLine("### By severity");
        writer.WriteLine();
        Table(writer, ["Severity", "Failed", "New", "Suppressed"], Enum.GetValues<DaprSeverity>().OrderDescending().Select(severity =>
        {
            var of = results.Where(r => r.Severity == severity).ToList();
            return new[] { severity.ToString(), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Fail)), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Fail && r.Baseline == DaprBaselineState.New)), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Suppressed)) };
        }));

        writer.WriteLine();
        writer.WriteLine("### By area");
        writer.WriteLine();
        var areas = run.Rules.Select(r => r.Area).Concat(results.Select(r => r.Area)).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        Table(writer, ["Area", "Failed", "Not evaluated", "Suppressed", "Passed"], areas.Select(area =>
        {
            var of = results.Where(r => r.Area == area).ToList();
            return new[] { Cell(area), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Fail)), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Error)), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Suppressed)), Number(of.Count(r => r.Outcome == DaprAuditOutcome.Pass)) };
        }));

        Section(writer, "Failures", ["Severity", "Rule", "Resource", "Where", "Message", "Remediation"], failures.Select(r => new[]
        {
            r.Baseline == DaprBaselineState.New ? $"{r.Severity} (new)" : r.Severity.ToString(), Rule(r), Cell(ReportResource.Describe(r)), Cell(ReportResource.Where(r)), Cell(r.Message), Cell(r.Remediation),
        }));
        Section(writer, "Not evaluated", ["Rule", "Resource", "Where", "Reason"], ReportSeverity.MostSevereFirst(results.Where(r => r.Outcome == DaprAuditOutcome.Error)).Select(r => new[]
        {
            Rule(r), Cell(ReportResource.Describe(r)), Cell(ReportResource.Where(r)), Cell(r.Message),
        }));
        Section(writer, "Suppressed", ["Severity", "Rule", "Resource", "Where", "Reason"], ReportSeverity.MostSevereFirst(results.Where(r => r.Outcome == DaprAuditOutcome.Suppressed)).Select(r => new[]
        {
            r.Severity.ToString(), Rule(r), Cell(ReportResource.Describe(r)), Cell(ReportResource.Where(r)), Cell(r.SuppressionReason),
        }));
    }

    /// <summary>
    /// Escapes text for a Markdown table cell: it stays one cell, renders literally and cannot link or embed. HTML's
    /// own characters become entities, which every Markdown renderer shows as text; other punctuation is
    /// backslash-escaped as CommonMark allows for any ASCII punctuation.
    /// </summary>
    public static string Cell(string? text)
    {
        var clean = ReportText.Clean(text, MaxCellLength);
        var cell = new StringBuilder(clean.Length + 16);
        foreach (var c in clean)
        {
            switch (c)
            {
                case '\n':
                    cell.Append("<br>");
                    break;
                case '\t':
                    cell.Append(' ');
                    break;
                case '<':
                    cell.Append("&lt;");
                    break;
                case '>':
                    cell.Append("&gt;");
                    break;
                case '&':
                    cell.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '#' or '!' or '$' or '(' or ')' or '{' or '}' or '+' or '-' or '.' or ':' or '@' or '=' or '^' or '"' or '\'':
                    cell.Append('\\').Append(c);
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        return cell.ToString();
    }

    private static string Target(AuditRun run)
    {
        if (run.ScanRoot is not null)
        {
            return $"files under {Cell(run.ScanRoot)}";
        }

        var contexts = run.Results.Select(r => r.Context).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return contexts.Count == 0 ? "no cluster read" : $"context {string.Join(", ", contexts.Select(Cell))}";
    }

    /// <summary>The rule id, linked to its help when the catalogue gives an http(s) link.</summary>
    private static string Rule(DaprSecurityResult result)
    {
        var id = Cell(result.RuleId);
        return ReportTool.AbsoluteHelpUri(result.HelpUri) is { } uri
            ? $"[{id}](<{uri.Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}>)"
            : id;
    }

    private static string Number(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static void Section(TextWriter writer, string title, string[] headers, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"### {title} ({list.Count})"));
        writer.WriteLine();
        Table(writer, headers, list);
    }

    private static void Table(TextWriter writer, string[] headers, IEnumerable<string[]> rows)
    {
        writer.WriteLine($"| {string.Join(" | ", headers)} |");
        writer.WriteLine($"|{string.Concat(headers.Select(_ => " --- |"))}");
        foreach (var row in rows)
        {
            writer.WriteLine($"| {string.Join(" | ", row)} |");
        }
    }
}
