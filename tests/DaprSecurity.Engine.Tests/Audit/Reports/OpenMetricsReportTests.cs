using System.Text.Json.Nodes;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;
using static DaprSecurity.Engine.Tests.Audit.Reports.AuditRunFixtures;

namespace DaprSecurity.Engine.Tests.Audit.Reports;

public sealed class OpenMetricsReportTests
{
    [Fact]
    public void Both_Prometheus_parsers_read_failures_by_rule_and_certificate_expiry_by_context()
    {
        var text = Render(DaprReportFormat.OpenMetrics, Cluster());
        var parsed = PrometheusParser.Parse(text);

        Assert.EndsWith("\n# EOF\n", text);
        Assert.DoesNotContain("\n\n", text);
        foreach (var format in new[] { "prometheus", "openmetrics" })
        {
            var families = parsed[format]!.AsArray();
            Assert.All(families, f => Assert.Equal("gauge", (string?)f!["type"]));
            Assert.Equal(1, Value(families, "daprsecurity_rule_failures", ("context", "lab"), ("rule", "DAPR-MTLS-003"), ("severity", "high"), ("area", "MTLS")));
            Assert.Equal(0, Value(families, "daprsecurity_rule_failures", ("context", "lab"), ("rule", "DAPR-SIDECAR-001"), ("severity", "high"), ("area", "SIDECAR")));
            Assert.Equal(7, Samples(families, "daprsecurity_rule_failures").Count);
            Assert.Equal(1, Value(families, "daprsecurity_results", ("context", "lab"), ("outcome", "error"), ("severity", "high")));
            Assert.Equal(1, Value(families, "daprsecurity_results", ("context", "lab"), ("outcome", "suppressed"), ("severity", "high")));
            Assert.Equal(20.25, Value(families, "daprsecurity_certificate_expiry_days", ("context", "lab"), ("role", "issuer"), ("subject", "CN=cluster.local")));
            Assert.Equal(300.5, Value(families, "daprsecurity_certificate_expiry_days", ("context", "lab"), ("role", "root"), ("subject", "CN=cluster.local")));
            Assert.Equal(-3, Value(families, "daprsecurity_certificate_expiry_days", ("context", "prod"), ("role", "issuer"), ("subject", "CN=cluster.local")));
            Assert.Equal(StartedAt.AddDays(-3).ToUnixTimeSeconds(), Value(families, "daprsecurity_certificate_not_after_seconds", ("context", "prod"), ("role", "issuer"), ("subject", "CN=cluster.local")));
            Assert.Equal(StartedAt.ToUnixTimeSeconds(), Value(families, "daprsecurity_audit_start_seconds", ("version", "0.1.0")));
        }
    }

    [Fact]
    public void A_folder_run_without_certificates_is_still_a_valid_exposition()
    {
        var parsed = PrometheusParser.Parse(Render(DaprReportFormat.OpenMetrics, Files()));

        var families = parsed["openmetrics"]!.AsArray();
        Assert.Equal(1, Value(families, "daprsecurity_rule_failures", ("context", ""), ("rule", "DAPR-SECRET-001"), ("severity", "critical"), ("area", "SECRET")));
        Assert.Empty(Samples(families, "daprsecurity_certificate_expiry_days"));
    }

    [Fact]
    public void Hostile_label_values_are_escaped_and_parse_back()
    {
        var text = Render(DaprReportFormat.OpenMetrics, Hostile(scanRoot: null));
        var parsed = PrometheusParser.Parse(text);

        var subjects = Samples(parsed["openmetrics"]!.AsArray(), "daprsecurity_certificate_expiry_days").Select(s => (string)s["labels"]!["subject"]!).ToList();
        Assert.Equal(HostileValues.Count, subjects.Count);
        Assert.Contains("line1\nline2\n##vso[task.setvariable variable=pwned]1\n##VSO[task.complete result=Succeeded;]", subjects);
        Assert.Contains(subjects, s => s.StartsWith("]; %0A%AZP25 ##vso[task.logissue type=error]x , : % |`code`| <script>", StringComparison.Ordinal) && s.Contains("\"q\" \\ ", StringComparison.Ordinal));
        Assert.All(subjects, s => Assert.True(s.Length < 300, $"{s.Length} characters"));
        Assert.Equal(
            Samples(parsed["openmetrics"]!.AsArray(), "daprsecurity_certificate_expiry_days").Count,
            Samples(parsed["prometheus"]!.AsArray(), "daprsecurity_certificate_expiry_days").Count);
    }

    [Fact]
    public void The_parser_check_can_fail()
    {
        var valid = Render(DaprReportFormat.OpenMetrics, Cluster());

        Assert.Throws<FormatException>(() => PrometheusParser.Parse(valid.Replace("# EOF\n", "", StringComparison.Ordinal)));
        Assert.Throws<FormatException>(() => PrometheusParser.Parse(valid.Replace("subject=\"CN=cluster.local\"", "subject=\"CN=\"cluster\"", StringComparison.Ordinal)));
    }

    private static List<JsonNode> Samples(JsonArray families, string name)
        => families.Where(f => (string?)f!["name"] == name).SelectMany(f => f!["samples"]!.AsArray()).Select(s => s!).ToList();

    private static double Value(JsonArray families, string name, params (string Name, string Value)[] labels)
    {
        var matching = Samples(families, name).Where(s =>
        {
            var actual = s["labels"]!.AsObject();
            return actual.Count == labels.Length && labels.All(l => (string?)actual[l.Name] == l.Value);
        }).ToList();
        return (double)Assert.Single(matching)["value"]!;
    }
}
