using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// Writes Test-DaprSecurity's reports and CI annotations. The audit calls only these two members; the formats
/// behind them live beside this file, one writer a format.
/// </summary>
public static class AuditReports
{
    /// <summary>
    /// Writes <paramref name="run"/> in <paramref name="format"/> to <paramref name="writer"/>. The XML formats
    /// declare the writer's encoding: give files a UTF-8 writer.
    /// </summary>
    public static void Write(DaprReportFormat format, AuditRun run, TextWriter writer)
    {
        switch (format)
        {
            case DaprReportFormat.Sarif:
                SarifReportWriter.Write(run, writer);
                break;
            case DaprReportFormat.NUnit3:
                NUnitReportWriter.Write(run, writer);
                break;
            case DaprReportFormat.JUnit:
                JUnitReportWriter.Write(run, writer);
                break;
            case DaprReportFormat.Markdown:
                MarkdownReportWriter.Write(run, writer);
                break;
            case DaprReportFormat.OpenMetrics:
                OpenMetricsReportWriter.Write(run, writer);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a report format.");
        }
    }

    /// <summary>
    /// The Azure Pipelines (TF_BUILD=True) or GitHub Actions (GITHUB_ACTIONS=true) lines for the run's failures,
    /// with every cluster- or file-supplied string escaped; empty outside those systems.
    /// </summary>
    public static IEnumerable<string> CiAnnotations(AuditRun run, IReadOnlyDictionary<string, string?> environment)
        => CiAnnotationWriter.Lines(run, environment);
}
