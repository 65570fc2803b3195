using System.Text.Json.Nodes;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;
using static DaprSecurity.Engine.Tests.Audit.Reports.AuditRunFixtures;

namespace DaprSecurity.Engine.Tests.Audit.Reports;

public sealed class SarifReportTests
{
    public static TheoryData<string> Runs => new() { "files", "cluster", "hostile", "empty" };

    private static Engine.Audit.Reports.AuditRun RunNamed(string name) => name switch
    {
        "files" => Files(),
        "cluster" => Cluster(),
        "hostile" => Hostile(),
        _ => Run(null, []),
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Validates_against_the_official_SARIF_2_1_0_schema(string run)
    {
        var errors = SarifSchema.Errors(Render(DaprReportFormat.Sarif, RunNamed(run)));

        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
    }

    [Fact]
    public void The_schema_check_can_fail()
    {
        var sarif = JsonNode.Parse(Render(DaprReportFormat.Sarif, Files()))!;
        sarif["runs"]![0]!["results"]![0]!["level"] = "fatal";
        sarif["runs"]![0]!["tool"]!["driver"]!["informationUri"] = "not a uri";
        sarif["runs"]![0]!["unknownProperty"] = true;

        var errors = SarifSchema.Errors(sarif.ToJsonString());

        Assert.Contains(errors, e => e.Contains("/level", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/informationUri", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknownProperty", StringComparison.Ordinal) || e.Contains("additionalProperties", StringComparison.Ordinal));
    }

    [Fact]
    public void The_driver_lists_every_rule_with_GitHub_security_severity_help_and_tags()
    {
        var driver = Sarif(Files())["tool"]!["driver"]!;

        Assert.Equal("DaprSecurity", (string?)driver["name"]);
        Assert.Equal("0.1.0", (string?)driver["version"]);
        Assert.Equal("https://github.com/daprsecurity/DaprSecurity", (string?)driver["informationUri"]);
        var rules = driver["rules"]!.AsArray();
        Assert.Equal(Rules.Select(r => r.Id), rules.Select(r => (string?)r!["id"]));

        var expected = new Dictionary<string, string?> { ["DAPR-SECRET-001"] = "9.5", ["DAPR-SIDECAR-001"] = "8.0", ["DAPR-SCOPE-001"] = "5.5", ["DAPR-CTRL-002"] = "3.0", ["DAPR-CONFIG-002"] = null };
        foreach (var (id, severity) in expected)
        {
            var rule = rules.Single(r => (string?)r!["id"] == id)!;
            Assert.Equal(severity, (string?)rule["properties"]!["security-severity"]);
            Assert.Equal(["security", "dapr"], rule["properties"]!["tags"]!.AsArray().Take(2).Select(t => (string?)t));
        }

        var sidecar = rules.Single(r => (string?)r!["id"] == "DAPR-SIDECAR-001")!;
        Assert.Equal("SidecarListensOnEveryInterface", (string?)sidecar["name"]);
        Assert.Equal("Sidecar listens on every interface", (string?)sidecar["shortDescription"]!["text"]);
        Assert.Equal("Checks: Sidecar listens on every interface.", (string?)sidecar["fullDescription"]!["text"]);
        Assert.Contains("Fix DAPR-SIDECAR-001: set the `dapr.io` annotation.", (string?)sidecar["help"]!["text"]);
        Assert.Contains("**Remediation:** Fix DAPR-SIDECAR-001", (string?)sidecar["help"]!["markdown"]);
        Assert.Equal("error", (string?)sidecar["defaultConfiguration"]!["level"]);
        Assert.Equal("https://github.com/daprsecurity/DaprSecurity/blob/main/README.md#audit-dapr-security", (string?)sidecar["helpUri"]);
        Assert.Equal("https://docs.dapr.io/operations/components/component-secrets/", (string?)rules[0]!["helpUri"]);
        Assert.Null(rules.Single(r => (string?)r!["id"] == "DAPR-TOKEN-001")!["helpUri"]);
    }

    [Fact]
    public void File_failures_and_suppressions_are_results_at_their_file_line_and_column()
    {
        var run = Sarif(Files());
        var results = run["results"]!.AsArray();

        Assert.Equal(["DAPR-SIDECAR-001", "DAPR-SECRET-001", "DAPR-SCOPE-001"], results.Select(r => (string?)r!["ruleId"]));
        var sidecar = results[0]!;
        Assert.Equal(1, (int)sidecar["ruleIndex"]!);
        Assert.Equal("error", (string?)sidecar["level"]);
        Assert.Equal("dapr.io/sidecar-listen-addresses is not set (daprd listens on 0.0.0.0).", (string?)sidecar["message"]!["text"]);
        Assert.Equal("DAPR-SIDECAR-001|apps/api.yaml|Deployment/api", (string?)sidecar["partialFingerprints"]!["daprsecurity/v1"]);
        var physical = sidecar["locations"]![0]!["physicalLocation"]!;
        Assert.Equal("apps/api.yaml", (string?)physical["artifactLocation"]!["uri"]);
        Assert.Equal("%SRCROOT%", (string?)physical["artifactLocation"]!["uriBaseId"]);
        Assert.Equal(12, (int)physical["region"]!["startLine"]!);
        Assert.Equal(9, (int)physical["region"]!["startColumn"]!);
        Assert.Equal("shop/Deployment/api", (string?)sidecar["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]);
        Assert.Null(sidecar["suppressions"]);

        Assert.Equal("new", (string?)results[1]!["baselineState"]);
        Assert.Equal(0, (int)results[1]!["ruleIndex"]!);

        var suppressed = results[2]!;
        Assert.Equal("warning", (string?)suppressed["level"]);
        Assert.Equal("inSource", (string?)suppressed["suppressions"]![0]!["kind"]);
        Assert.Equal("shared bus, reviewed by security", (string?)suppressed["suppressions"]![0]!["justification"]);
        Assert.Null(suppressed["locations"]![0]!["physicalLocation"]!["region"]!["startColumn"]);
        Assert.Equal("file:///nonexistent-daprsecurity-fixture/repo/manifests/", (string?)run["originalUriBaseIds"]!["%SRCROOT%"]!["uri"]);
    }

    [Fact]
    public void An_error_is_a_tool_notification_that_marks_the_run_unsuccessful_never_a_result()
    {
        var invocation = Sarif(Files())["invocations"]![0]!;

        Assert.False((bool)invocation["executionSuccessful"]!);
        var notification = invocation["toolExecutionNotifications"]!.AsArray().Single()!;
        Assert.Equal("error", (string?)notification["level"]);
        Assert.Equal("DAPR-SCOPE-001", (string?)notification["associatedRule"]!["id"]);
        Assert.Equal(4, (int)notification["associatedRule"]!["index"]!);
        Assert.Equal("broken.yaml", (string?)notification["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]);
        Assert.True((bool)Sarif(Run(null, []))["invocations"]![0]!["executionSuccessful"]!);
    }

    [Fact]
    public void Cluster_results_have_a_logical_location_and_a_stable_synthetic_uri()
    {
        var run = Sarif(Cluster());
        var results = run["results"]!.AsArray();

        Assert.Equal(["DAPR-MTLS-003", "DAPR-CTRL-002", "DAPR-CONFIG-002", "DAPR-SIDECAR-001"], results.Select(r => (string?)r!["ruleId"]));
        Assert.Equal(["error", "note", "note", "error"], results.Select(r => (string?)r!["level"]));
        var suppressed = results[3]!;
        var location = suppressed["locations"]![0]!;
        Assert.Equal("k8s/lab/shop/Deployment/web.yaml", (string?)location["physicalLocation"]!["artifactLocation"]!["uri"]);
        Assert.Null(location["physicalLocation"]!["artifactLocation"]!["uriBaseId"]);
        Assert.Equal(1, (int)location["physicalLocation"]!["region"]!["startLine"]!);
        var logical = location["logicalLocations"]![0]!;
        Assert.Equal("lab/shop/Deployment/web", (string?)logical["fullyQualifiedName"]);
        Assert.Equal("web", (string?)logical["name"]);
        Assert.Equal("resource", (string?)logical["kind"]);
        Assert.Equal(["lab", "shop", "Deployment", "web"], new[] { "context", "namespace", "kind", "name" }.Select(k => (string?)logical["properties"]![k]));
        Assert.Equal("external", (string?)suppressed["suppressions"]![0]!["kind"]);
        Assert.Equal("legacy app, until 2027-01-01", (string?)suppressed["suppressions"]![0]!["justification"]);
        Assert.Null(run["originalUriBaseIds"]);

        Assert.Equal(Render(DaprReportFormat.Sarif, Cluster()), Render(DaprReportFormat.Sarif, Cluster()));
    }

    [Fact]
    public void File_uris_are_relative_to_the_repository_holding_the_scanned_folder()
    {
        using var repo = new TempFolder();
        Directory.CreateDirectory(Path.Combine(repo.Path, ".git"));
        var scanRoot = Path.Combine(repo.Path, "deploy", "k8s");
        var run = Run(scanRoot,
        [
            File("DAPR-SIDECAR-001", DaprAuditOutcome.Fail, "Deployment", "api", "apps/my api.yaml", 3, 1, "m"),
            File("DAPR-SIDECAR-001", DaprAuditOutcome.Fail, "Deployment", "evil", "apps/evil\n##vso[x]\u001b[31m;.yaml", 3, 1, "m"),
        ]);

        var sarif = Sarif(run);

        var uris = sarif["results"]!.AsArray().Select(r => (string?)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]).ToList();
        // A file name from the repository, however hostile, is percent-encoded as it is (not cleaned), so the uri names the file.
        Assert.Equal(new[] { "deploy/k8s/apps/my%20api.yaml", "deploy/k8s/apps/evil%0A%23%23vso%5Bx%5D%1B%5B31m%3B.yaml" }, uris);
        Assert.Equal(new Uri(repo.Path + "/").AbsoluteUri, (string?)sarif["originalUriBaseIds"]!["%SRCROOT%"]!["uri"]);
        Assert.Empty(SarifSchema.Errors(Render(DaprReportFormat.Sarif, run)));
    }

    [Fact]
    public void Hostile_values_stay_data_bounded_and_visible()
    {
        var text = Render(DaprReportFormat.Sarif, Hostile());
        var results = JsonNode.Parse(text)!["runs"]![0]!["results"]!.AsArray();

        Assert.Equal(HostileValues.Count * 3, results.Count);
        Assert.True(text.Length < 8 * 1024 * 1024, $"{text.Length} characters");
        foreach (var result in results)
        {
            var message = (string)result!["message"]!["text"]!;
            Assert.True(message.Length <= 33 * 1024);
            Assert.DoesNotContain(message, c => char.IsControl(c) && c != '\n' && c != '\t');
            Assert.DoesNotContain('\ud800', message);
        }

        Assert.Contains(@"\x1B[31mred", (string)results[2 * 3]!["message"]!["text"]!);
    }

    private static JsonNode Sarif(Engine.Audit.Reports.AuditRun run)
    {
        var log = JsonNode.Parse(Render(DaprReportFormat.Sarif, run))!;
        Assert.Equal("2.1.0", (string?)log["version"]);
        return log["runs"]!.AsArray().Single()!;
    }
}
