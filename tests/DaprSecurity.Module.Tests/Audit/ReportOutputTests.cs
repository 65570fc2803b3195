using System.Text.Json.Nodes;
using System.Xml.Linq;
using DaprSecurity.Engine.Tests.Audit;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>Test-DaprSecurity -OutputFormat/-OutputPath and CI annotations, end to end over a manifest folder and the test API server.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ReportOutputTests : IClassFixture<ClusterFixture>, IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "AuditFixtures");
    private readonly ClusterFixture _cluster;
    private readonly string _folder = Directory.CreateTempSubdirectory("daprsec-reports-").FullName;
    private readonly string _manifests;
    private readonly PowerShellSession _session;

    public ReportOutputTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
        _manifests = Path.Combine(_folder, "repo", "deploy");
        Directory.CreateDirectory(Path.Combine(_folder, "repo", ".git"));
        Directory.CreateDirectory(Path.Combine(_manifests, "apps"));
        foreach (var rule in new[] { "DAPR-SECRET-001", "DAPR-SIDECAR-001" })
        {
            File.WriteAllText(Path.Combine(_manifests, "apps", $"{rule}.yaml"), File.ReadAllText(Path.Combine(Fixtures, rule, "fail.yaml")).Replace("__NS__", "shop", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Sarif_of_a_folder_scan_validates_and_points_at_the_repository_files()
    {
        var sarif = Report("Sarif", "report.sarif");

        Assert.Empty(SarifSchema.Errors(sarif));
        var run = JsonNode.Parse(sarif)!["runs"]![0]!;
        Assert.True(run["tool"]!["driver"]!["rules"]!.AsArray().Count >= 20);
        var secret = run["results"]!.AsArray().Single(r => (string?)r!["ruleId"] == "DAPR-SECRET-001")!;
        var physical = secret["locations"]![0]!["physicalLocation"]!;
        Assert.Equal("deploy/apps/DAPR-SECRET-001.yaml", (string?)physical["artifactLocation"]!["uri"]);
        Assert.Equal(13, (int)physical["region"]!["startLine"]!);
        Assert.False(string.IsNullOrEmpty((string?)secret["partialFingerprints"]!["daprsecurity/v1"]));
        Assert.DoesNotContain("hunter2", sarif, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_of_a_cluster_scan_validates_with_logical_locations_and_both_kinds_of_suppression()
    {
        var ns = _cluster.NewNamespace("sarif");
        _cluster.Server.Apply(AuditFixtures.Text("DAPR-SIDECAR-001", "fail", ns).Replace(
            "        dapr.io/enabled: \"true\"\n",
            "        dapr.io/enabled: \"true\"\n        daprsecurity.io/ignore: \"DAPR-SIDECAR-001=behind the mesh gateway\"\n",
            StringComparison.Ordinal));
        var suppressions = Path.Combine(_folder, "suppressions.yaml");
        File.WriteAllText(suppressions, $"- ruleId: DAPR-CONFIG-001\n  namespace: {ns}\n  reason: invoked through the gateway only\n");

        var sarif = Report("Sarif", "cluster.sarif", $"-Namespace {ns} -SuppressionPath '{suppressions}'");

        Assert.Empty(SarifSchema.Errors(sarif));
        var results = JsonNode.Parse(sarif)!["runs"]![0]!["results"]!.AsArray();
        JsonNode Result(string ruleId) => results.Single(r => (string?)r!["ruleId"] == ruleId)!;
        Assert.Equal("inSource", (string?)Result("DAPR-SIDECAR-001")["suppressions"]![0]!["kind"]);
        Assert.Equal("external", (string?)Result("DAPR-CONFIG-001")["suppressions"]![0]!["kind"]);
        var location = Result("DAPR-SIDECAR-001")["locations"]![0]!;
        Assert.EndsWith($"/{ns}/Deployment/app", (string?)location["logicalLocations"]![0]!["fullyQualifiedName"]);
        Assert.EndsWith($"/{ns}/Deployment/app.yaml", (string?)location["physicalLocation"]!["artifactLocation"]!["uri"]);
    }

    [Fact]
    public void NUnit3_and_JUnit_hold_one_case_per_result_of_the_run()
    {
        var all = _session.Run("Test-DaprSecurity -Path $dir -IncludePass", Variables()).Output.Count;
        var failed = _session.Run("Test-DaprSecurity -Path $dir | Where-Object Outcome -eq Fail", Variables()).Output.Count;

        var nunit = XDocument.Parse(Report("NUnit3", "results.xml")).Root!;
        var junit = XDocument.Parse(Report("JUnit", "junit.xml")).Root!;

        Assert.True(failed >= 2, $"{failed} failures");
        Assert.Equal(all, (int)nunit.Attribute("total")!);
        Assert.Equal(failed, (int)nunit.Attribute("failed")! - ErrorsIn(nunit));
        Assert.Equal("Failed", (string?)nunit.Attribute("result"));
        Assert.Equal(all, (int)junit.Attribute("tests")!);
        Assert.Equal(failed, (int)junit.Attribute("failures")!);
        Assert.Contains(junit.Descendants("testcase"), c => (string?)c.Attribute("file") == "deploy/apps/DAPR-SIDECAR-001.yaml" && c.Element("failure") is not null);
    }

    [Fact]
    public void Markdown_and_OpenMetrics_of_a_cluster_scan_report_failures_and_certificate_expiry()
    {
        var markdown = Report("Markdown", "summary.md", $"-Namespace {_cluster.Seed.AppNamespaces[0]}");
        var metrics = PrometheusParser.Parse(Report("OpenMetrics", "dapr.prom", $"-Namespace {_cluster.Seed.AppNamespaces[0]}"));

        Assert.StartsWith("## DaprSecurity audit", markdown, StringComparison.Ordinal);
        Assert.Contains("### By severity", markdown, StringComparison.Ordinal);
        var families = metrics["openmetrics"]!.AsArray();
        var expiry = families.Single(f => (string?)f!["name"] == "daprsecurity_certificate_expiry_days")!["samples"]!.AsArray();
        Assert.Equal(["issuer", "root"], expiry.Select(s => (string)s!["labels"]!["role"]!).Order());
        Assert.All(expiry, s => Assert.True((double)s!["value"]! > 0));
        Assert.All(expiry, s => Assert.False(string.IsNullOrEmpty((string?)s!["labels"]!["context"])));
        Assert.Contains(families, f => (string?)f!["name"] == "daprsecurity_rule_failures");
    }

    [Fact]
    public void In_Azure_Pipelines_failures_are_logissue_lines_on_the_host_only()
    {
        var saved = Environment.GetEnvironmentVariable("TF_BUILD");
        try
        {
            Environment.SetEnvironmentVariable("TF_BUILD", "True");
            var result = _session.Run("$r = Test-DaprSecurity -Path $dir; $r.Count", Variables());

            var issues = result.Information.Where(l => l.StartsWith("##vso[task.logissue ", StringComparison.Ordinal)).ToList();
            Assert.Contains(issues, l => l.StartsWith("##vso[task.logissue type=error;sourcepath=deploy/apps/DAPR-SECRET-001.yaml;linenumber=13;", StringComparison.Ordinal) && l.Contains("code=DAPR-SECRET-001]", StringComparison.Ordinal));
            Assert.Equal(issues.Count, result.Information.Count(l => l.Contains("##vso[", StringComparison.Ordinal)));
            Assert.DoesNotContain(result.Output, o => o.ToString()!.Contains("##vso[", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TF_BUILD", saved);
        }
    }

    [Theory]
    [InlineData("TF_BUILD", "True")]
    [InlineData("GITHUB_ACTIONS", "true")]
    public void Hostile_values_from_a_manifest_stay_data_on_one_bounded_line(string variable, string value)
    {
        // Each string a manifest supplies (file name, namespace, name, annotation keys and values) tries to start a command.
        var hostile = Path.Combine(_folder, "hostile");
        Directory.CreateDirectory(hostile);
        var huge = new string('A', 1024 * 1024);
        File.WriteAllText(Path.Combine(hostile, "x;y]::z%0A##vso[task.complete result=Succeeded].yaml"), $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: "api\n##vso[task.setvariable variable=pwned]1"
              namespace: "shop\r\n::error file=forged.yaml::forged"
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata:
                  labels: {app: api}
                  annotations:
                    dapr.io/enabled: "true"
                    dapr.io/app-id: "{{{huge}}}\n##vso[task.setvariable variable=late]1"
                    dapr.io/sidecar-listen-addresses: "0.0.0.0,\e[31mred\e[0m\n::add-mask::x"
                    "dapr.io/typo\u001b]8;;https://evil.example\u0007\n##[error]forged": "1"
                spec:
                  containers:
                  - {name: api, image: example/api:1}
            """);
        var saved = Environment.GetEnvironmentVariable(variable);
        try
        {
            Environment.SetEnvironmentVariable(variable, value);
            var result = _session.Run("$null = Test-DaprSecurity -Path $dir", new Dictionary<string, object?> { ["dir"] = hostile });

            var lines = result.Information.ToList();
            Assert.True(lines.Count >= 4, string.Join("\n", lines));
            Assert.All(lines, line =>
            {
                Assert.DoesNotContain(line, c => char.IsControl(c));
                Assert.True(line.Length < 48 * 1024, $"{line.Length} characters");
                if (variable == "TF_BUILD")
                {
                    Assert.DoesNotContain("##[", line, StringComparison.Ordinal);
                    Assert.Matches("^##vso\\[task\\.(logissue type=(error|warning);|complete result=SucceededWithIssues;\\]$)", line);
                    Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(line, "##vso\\[", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
                }
                else
                {
                    Assert.Matches("^::(error|warning) ", line);
                    var properties = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..line.IndexOf("::", 2, StringComparison.Ordinal)].Split(',');
                    Assert.All(properties, p => Assert.Contains(p[..p.IndexOf('=', StringComparison.Ordinal)], new[] { "file", "line", "col", "title" }));
                }
            });
            Assert.Contains(lines, l => l.Contains("DAPR-SIDECAR-001", StringComparison.Ordinal) && l.Contains("0.0.0.0", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, saved);
        }
    }

    private string Report(string format, string file, string? target = null)
    {
        var path = Path.Combine(_folder, file);
        var script = $"Test-DaprSecurity {target ?? "-Path $dir"} -OutputFormat {format} -OutputPath $report | Out-Null";
        var result = _session.Run(script, new Dictionary<string, object?> { ["dir"] = _manifests, ["report"] = path });
        Assert.DoesNotContain(result.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("AuditReportFailed", StringComparison.Ordinal));
        return File.ReadAllText(path);
    }

    private static int ErrorsIn(XElement nunit) => nunit.Descendants("test-case").Count(c => (string?)c.Attribute("label") == "Error");

    private Dictionary<string, object?> Variables() => new() { ["dir"] = _manifests };

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
