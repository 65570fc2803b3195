using System.Text.Json.Nodes;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>Suppressions (annotation, file, expiry, missing reason) and baselines, through Test-DaprSecurity on manifests.</summary>
public sealed class SuppressionAndBaselineTests : IDisposable
{
    private const string ExposedApp = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: billing
          namespace: shop
          annotations:
            daprsecurity.io/ignore: "DAPR-SIDECAR-001=behind the mesh gateway, OPS-12"
        spec:
          selector:
            matchLabels: {app: billing}
          template:
            metadata:
              labels: {app: billing}
              annotations:
                dapr.io/enabled: "true"
                dapr.io/app-id: billing
                dapr.io/enable-api-logging: "true"
                dapr.io/sidecar-listen-addresses: "0.0.0.0"
                dapr.io/api-token-secret: dapr-api-token
            spec:
              containers:
              - name: billing
                image: example/billing:1
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("daprsec-audit-").FullName;
    private readonly PowerShellSession _session = new();

    [Fact]
    public void An_annotation_suppresses_a_failure_visibly_with_its_reason()
    {
        Write("app.yaml", ExposedApp);

        var result = Single("DAPR-SIDECAR-001", "Test-DaprSecurity -Path $dir");

        Assert.Equal("Suppressed", result["Outcome"]);
        Assert.Equal("behind the mesh gateway, OPS-12", result["SuppressionReason"]);
        Assert.Equal(true, Quiet("Test-DaprSecurity -Path $dir -Quiet"));
    }

    [Fact]
    public void A_suppression_without_a_reason_suppresses_nothing_and_is_itself_a_finding()
    {
        Write("app.yaml", ExposedApp.Replace("DAPR-SIDECAR-001=behind the mesh gateway, OPS-12", "DAPR-SIDECAR-001", StringComparison.Ordinal));

        Assert.Equal("Fail", Single("DAPR-SIDECAR-001", "Test-DaprSecurity -Path $dir")["Outcome"]);
        var finding = Single("DAPR-AUDIT-001", "Test-DaprSecurity -Path $dir");
        Assert.Equal("Fail", finding["Outcome"]);
        Assert.Equal(7, finding["Line"]);
    }

    [Fact]
    public void A_suppression_file_matches_by_namespace_kind_and_name_with_wildcards_until_it_expires()
    {
        Write("app.yaml", ExposedApp.Replace("    daprsecurity.io/ignore: \"DAPR-SIDECAR-001=behind the mesh gateway, OPS-12\"\n", "", StringComparison.Ordinal).Replace("  annotations:\n  name", "  name", StringComparison.Ordinal));
        var file = Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-suppressions.yaml");
        File.WriteAllText(file, """
            suppressions:
            - ruleId: DAPR-SIDECAR-*
              namespace: sh*
              kind: Deployment
              name: bill*
              reason: exposed on purpose until the gateway lands
              expires: 2099-12-31
            - ruleId: DAPR-CONFIG-001
              kind: Deployment
              reason: old exemption
              expires: 2020-01-31
            - ruleId: DAPR-CONFIG-002
            """);
        try
        {
            var run = $"Test-DaprSecurity -Path $dir -SuppressionPath '{file}'";

            var suppressed = Single("DAPR-SIDECAR-001", run);
            var expired = Single("DAPR-CONFIG-001", run);
            var noReason = Single("DAPR-AUDIT-001", run);

            Assert.Equal("Suppressed", suppressed["Outcome"]);
            Assert.Equal("exposed on purpose until the gateway lands", suppressed["SuppressionReason"]);
            Assert.Equal("Fail", expired["Outcome"]);
            Assert.Contains("expired on 2020-01-31", (string)expired["Message"]!);
            Assert.Equal("Fail", noReason["Outcome"]);
            Assert.Equal(12, noReason["Line"]);
            Assert.Equal("Fail", Single("DAPR-CONFIG-002", run)["Outcome"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_annotation_suppression_is_in_source_and_a_file_suppression_external_in_the_results_and_the_validating_SARIF()
    {
        Write("app.yaml", ExposedApp);
        var file = Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-suppressions.yaml");
        var report = Path.Combine(_folder, "..", Path.GetFileName(_folder) + ".sarif");
        File.WriteAllText(file, "- ruleId: DAPR-CONFIG-001\n  name: billing\n  reason: invoked only through the gateway\n");
        try
        {
            var run = $"Test-DaprSecurity -Path $dir -SuppressionPath '{file}' -OutputFormat Sarif -OutputPath '{report}'";
            var annotation = Single("DAPR-SIDECAR-001", run);
            var external = Single("DAPR-CONFIG-001", run);
            var sarif = File.ReadAllText(report);

            Assert.Equal(("Suppressed", true), (annotation["Outcome"], annotation["SuppressedInSource"]));
            Assert.Equal(("Suppressed", false), (external["Outcome"], external["SuppressedInSource"]));
            Assert.Empty(SarifSchema.Errors(sarif));
            var results = JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray();
            JsonNode Suppression(string ruleId) => results.Single(r => (string?)r!["ruleId"] == ruleId)!["suppressions"]![0]!;
            Assert.Equal("inSource", (string?)Suppression("DAPR-SIDECAR-001")["kind"]);
            Assert.Equal("behind the mesh gateway, OPS-12", (string?)Suppression("DAPR-SIDECAR-001")["justification"]);
            Assert.Equal("external", (string?)Suppression("DAPR-CONFIG-001")["kind"]);
            Assert.Equal("invoked only through the gateway", (string?)Suppression("DAPR-CONFIG-001")["justification"]);
        }
        finally
        {
            File.Delete(file);
            File.Delete(report);
        }
    }

    [Fact]
    public void A_baseline_marks_failures_known_across_an_edit_above_them_and_new_ones_new()
    {
        Write("app.yaml", ExposedApp.Replace("    daprsecurity.io/ignore: \"DAPR-SIDECAR-001=behind the mesh gateway, OPS-12\"\n", "", StringComparison.Ordinal).Replace("  annotations:\n  name", "  name", StringComparison.Ordinal));
        var baseline = Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-baseline.json");
        try
        {
            var write = _session.Run($"Test-DaprSecurity -Path $dir -BaselinePath '{baseline}' -UpdateBaseline", Variables()).ThrowOnError();
            var before = Single("DAPR-SIDECAR-001", $"Test-DaprSecurity -Path $dir -BaselinePath '{baseline}'");

            // An edit above the finding moves it down three lines, and a new failure appears.
            Write("app.yaml", "# moved\n# down\n# three lines\n" + File.ReadAllText(Path.Combine(_folder, "app.yaml")).Replace("dapr.io/enable-api-logging: \"true\"", "dapr.io/enable-profiling: \"true\"", StringComparison.Ordinal));
            var after = Single("DAPR-SIDECAR-001", $"Test-DaprSecurity -Path $dir -BaselinePath '{baseline}'");
            var added = Single("DAPR-SIDECAR-003", $"Test-DaprSecurity -Path $dir -BaselinePath '{baseline}'");
            var gateOnNew = Quiet($"Test-DaprSecurity -Path $dir -BaselinePath '{baseline}' -FailOnNewOnly -FailOn Medium -Quiet");
            var gateOnNewHigh = Quiet($"Test-DaprSecurity -Path $dir -BaselinePath '{baseline}' -FailOnNewOnly -Quiet");

            Assert.True(File.Exists(baseline));
            Assert.Equal("Known", before["Baseline"]);
            Assert.Equal("Known", after["Baseline"]);
            Assert.Equal((int)before["Line"]! + 3, after["Line"]);
            Assert.Equal(before["Fingerprint"], after["Fingerprint"]);
            Assert.Equal("New", added["Baseline"]);
            Assert.Equal(false, gateOnNew);
            Assert.Equal(true, gateOnNewHigh);
            Assert.DoesNotContain(write.Output, o => o.Properties["Baseline"].Value?.ToString() != "None");
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void Templates_are_skipped_with_the_reason_and_an_empty_folder_is_an_error()
    {
        Write("chart/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n");
        Write("app.yaml", ExposedApp);
        var skipped = Single("DAPR-AUDIT-002", "Test-DaprSecurity -Path $dir");
        File.Delete(Path.Combine(_folder, "chart", "deployment.yaml"));
        File.Delete(Path.Combine(_folder, "app.yaml"));
        var empty = _session.Run("Test-DaprSecurity -Path $dir -Quiet", Variables());

        Assert.Equal("Skipped", skipped["Outcome"]);
        Assert.Equal("chart/deployment.yaml", skipped["Path"]);
        Assert.Contains("template", (string)skipped["Message"]!);
        Assert.Equal(false, Assert.Single(empty.Output).BaseObject);
        Assert.StartsWith("AuditNothingSelected,", Assert.Single(empty.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Files_piped_as_from_Get_ChildItem_are_audited_and_an_unreadable_one_fails_the_gate()
    {
        Write("app.yaml", ExposedApp);
        Write("bad.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a: b\n");

        // FileInfo objects, as Get-ChildItem writes them (the test host has no Microsoft.PowerShell.Management).
        var result = _session.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles('*.yaml') | Test-DaprSecurity -Quiet", Variables());

        Assert.True(result.Output.Count == 1, string.Join("\n", result.AllErrors.Select(e => $"{e.FullyQualifiedErrorId} {e}")));
        Assert.Equal(false, result.Output[0].BaseObject);
        Assert.StartsWith("ManifestInvalidYaml,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_report_is_handed_to_the_report_writers()
    {
        Write("app.yaml", ExposedApp);
        var report = Path.Combine(_folder, "report.sarif");

        var result = _session.Run("Test-DaprSecurity -Path $dir -OutputFormat Sarif -OutputPath $report -Quiet", new Dictionary<string, object?> { ["dir"] = _folder, ["report"] = report });

        result.ThrowOnError();
        Assert.Equal(true, Assert.Single(result.Output).BaseObject);
        Assert.True(new FileInfo(report).Length > 0, "The report file is empty.");
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private Dictionary<string, object?> Variables() => new() { ["dir"] = _folder };

    private IReadOnlyDictionary<string, object?> Single(string ruleId, string script)
    {
        var output = _session.Run(script + " -IncludePass", Variables()).Output.Where(o => o.Properties["RuleId"]?.Value as string == ruleId).ToList();
        var result = Assert.Single(output);
        return result.Properties.ToDictionary(p => p.Name, p => (object?)(p.Value is Enum e ? e.ToString() : p.Value));
    }

    private object? Quiet(string script) => Assert.Single(_session.Run(script, Variables()).Output).BaseObject;

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
