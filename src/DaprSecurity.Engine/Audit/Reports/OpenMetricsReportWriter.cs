using System.Globalization;
using System.Text;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// OpenMetrics text that is also valid Prometheus text exposition 0.0.4, so the same file serves a node-exporter
/// textfile collector, a Pushgateway body and an OpenMetrics scrape: gauges only (no reserved suffixes), HELP and
/// TYPE before each family, no timestamps, no blank lines, label values escaped (<c>\</c>, <c>"</c>, newline), and
/// <c># EOF</c> last (a comment to the Prometheus parser).
/// </summary>
internal static class OpenMetricsReportWriter
{
    private const int MaxLabelLength = 256;

    public static void Write(AuditRun run, TextWriter writer)
    {
        var text = new StringBuilder();
        var contexts = run.Results.Select(r => r.Context).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (contexts.Count == 0)
        {
            contexts.Add("");
        }

        Family(text, "daprsecurity_rule_failures", "Failed results of each audit rule (suppressed ones excluded).");
        foreach (var context in contexts)
        {
            foreach (var rule in run.Rules.DistinctBy(r => r.Id).OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                var failed = run.Results.Count(r => r.Context == context && r.RuleId == rule.Id && r.Outcome == DaprAuditOutcome.Fail);
                Sample(text, "daprsecurity_rule_failures", failed, ("context", context), ("rule", rule.Id), ("severity", Severity(rule.Severity)), ("area", rule.Area));
            }
        }

        Family(text, "daprsecurity_results", "Audit results by outcome and severity.");
        foreach (var context in contexts)
        {
            foreach (var outcome in Enum.GetValues<DaprAuditOutcome>())
            {
                foreach (var severity in Enum.GetValues<DaprSeverity>())
                {
                    var count = run.Results.Count(r => r.Context == context && r.Outcome == outcome && r.Severity == severity);
                    Sample(text, "daprsecurity_results", count, ("context", context), ("outcome", outcome.ToString().ToLowerInvariant()), ("severity", Severity(severity)));
                }
            }
        }

        var certificates = run.Certificates
            .OrderBy(c => c.Context, StringComparer.Ordinal)
            .ThenBy(c => c.Role, StringComparer.Ordinal)
            .ThenBy(c => c.Subject, StringComparer.Ordinal)
            .DistinctBy(c => (Label(c.Context), Label(c.Role), Label(c.Subject)))
            .ToList();
        Family(text, "daprsecurity_certificate_expiry_days", "Days until the Dapr root or issuer certificate expires (negative once expired).");
        foreach (var certificate in certificates)
        {
            Sample(text, "daprsecurity_certificate_expiry_days", certificate.DaysUntilExpiry, CertificateLabels(certificate));
        }

        Family(text, "daprsecurity_certificate_not_after_seconds", "When the Dapr root or issuer certificate expires, as Unix time.");
        foreach (var certificate in certificates)
        {
            Sample(text, "daprsecurity_certificate_not_after_seconds", certificate.NotAfter.ToUnixTimeSeconds(), CertificateLabels(certificate));
        }

        Family(text, "daprsecurity_audit_start_seconds", "When the audit ran, as Unix time (to alert on a stale textfile).");
        Sample(text, "daprsecurity_audit_start_seconds", run.StartedAt.ToUnixTimeSeconds(), ("version", run.ToolVersion));

        text.Append("# EOF\n");
        writer.Write(text.ToString());
    }

    private static (string, string)[] CertificateLabels(AuditCertificate certificate)
        => [("context", certificate.Context), ("role", certificate.Role), ("subject", certificate.Subject)];

    private static string Severity(DaprSeverity severity) => severity.ToString().ToLowerInvariant();

    private static void Family(StringBuilder text, string name, string help)
        => text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" gauge\n");

    private static void Sample(StringBuilder text, string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(name).Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(Label(labels[i].Value)).Append('"');
        }

        text.Append("} ").Append(Value(value)).Append('\n');
    }

    private static string Value(double value) => double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The exposition formats' label escaping (<c>\</c>, <c>"</c>, newline) on cleaned, bounded text.</summary>
    private static string Label(string value) => ReportText.Clean(value, MaxLabelLength)
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);
}
