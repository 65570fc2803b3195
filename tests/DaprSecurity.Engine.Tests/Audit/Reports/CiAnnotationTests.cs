using System.Text.RegularExpressions;
using DaprSecurity.Engine.Audit.Reports;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;
using static DaprSecurity.Engine.Tests.Audit.Reports.AuditRunFixtures;

namespace DaprSecurity.Engine.Tests.Audit.Reports;

public sealed class CiAnnotationTests
{
    private static readonly Dictionary<string, string?> Azure = new() { ["TF_BUILD"] = "True" };
    private static readonly Dictionary<string, string?> GitHub = new() { ["GITHUB_ACTIONS"] = "true" };

    [Fact]
    public void Outside_a_CI_system_there_are_no_lines()
    {
        Assert.Empty(AuditReports.CiAnnotations(Files(), new Dictionary<string, string?>()));
        Assert.Empty(AuditReports.CiAnnotations(Files(), new Dictionary<string, string?> { ["TF_BUILD"] = "False", ["GITHUB_ACTIONS"] = "false" }));
    }

    [Fact]
    public void Azure_Pipelines_gets_a_logissue_per_failure_and_error_most_severe_first()
    {
        var lines = AuditReports.CiAnnotations(Files(), Azure).ToList();

        Assert.Equal(
        [
            "##vso[task.logissue type=error;sourcepath=broken.yaml;code=DAPR-SCOPE-001]cluster not evaluated: The file could not be read: permission denied.",
            "##vso[task.logissue type=error;sourcepath=components/state.yaml;linenumber=10;columnnumber=7;code=DAPR-SECRET-001]Component shop/statestore: metadata redisPassword has a plain value. (Critical)",
            "##vso[task.logissue type=error;sourcepath=apps/api.yaml;linenumber=12;columnnumber=9;code=DAPR-SIDECAR-001]Deployment shop/api: dapr.io/sidecar-listen-addresses is not set (daprd listens on 0.0.0.0). (High)",
        ], lines);
    }

    [Fact]
    public void Azure_Pipelines_cluster_findings_name_the_resource_and_context_and_warnings_only_succeed_with_issues()
    {
        var cluster = AuditReports.CiAnnotations(Cluster(), Azure).ToList();
        Assert.Equal("##vso[task.logissue type=error;code=DAPR-TOKEN-001]Namespace billing/billing (context lab) not evaluated: Forbidden: cannot list secrets in billing.", cluster[0]);
        Assert.Equal("##vso[task.logissue type=warning;code=DAPR-CTRL-002]Deployment dapr-system/dapr-sentry (context lab): dapr-sentry runs 1 replica. (Low)", cluster[2]);
        Assert.DoesNotContain(cluster, l => l.StartsWith("##vso[task.complete", StringComparison.Ordinal));

        var warnings = AuditReports.CiAnnotations(WarningsOnly(), Azure).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings.Take(2), l => Assert.StartsWith("##vso[task.logissue type=warning;code=DAPR-SCOPE-001]Component shop/component-", l));
        Assert.Equal("##vso[task.complete result=SucceededWithIssues;]", warnings[^1]);

        Assert.Empty(AuditReports.CiAnnotations(Run(null, [Cluster("DAPR-SECRET-001", DaprAuditOutcome.Pass, "shop", "Component", "s", "ok")]), Azure));
    }

    [Fact]
    public void At_most_100_annotations_then_one_count_line()
    {
        var azure = AuditReports.CiAnnotations(WarningsOnly(150), Azure).ToList();
        var github = AuditReports.CiAnnotations(WarningsOnly(150), GitHub).ToList();

        Assert.Equal(102, azure.Count);
        Assert.Equal("##vso[task.logissue type=warning;code=DaprSecurity]50 more findings not shown (150 in total)%3B the -OutputPath report lists them all.", azure[100]);
        Assert.Equal("##vso[task.complete result=SucceededWithIssues;]", azure[101]);
        Assert.Equal(101, github.Count);
        Assert.Equal("::warning title=DaprSecurity::50 more findings not shown (150 in total); the -OutputPath report lists them all.", github[100]);
    }

    [Fact]
    public void GitHub_Actions_gets_error_and_warning_workflow_commands()
    {
        var files = AuditReports.CiAnnotations(Files(), GitHub).ToList();
        var cluster = AuditReports.CiAnnotations(Cluster(), GitHub).ToList();

        Assert.Equal("::error file=components/state.yaml,line=10,col=7,title=DAPR-SECRET-001::Component shop/statestore: metadata redisPassword has a plain value. (Critical)", files[1]);
        Assert.Equal("::error file=broken.yaml,title=DAPR-SCOPE-001::cluster not evaluated: The file could not be read: permission denied.", files[0]);
        Assert.Equal("::warning title=DAPR-CONFIG-002::Configuration shop/appconfig (context lab): spec.api.allowed is not set. (Info)", cluster[^1]);
        Assert.DoesNotContain(cluster, l => l.Contains("task.complete", StringComparison.Ordinal));
    }

    [Fact]
    public void File_paths_are_relative_to_the_checkout_or_repository()
    {
        using var repo = new TempFolder();
        Directory.CreateDirectory(Path.Combine(repo.Path, ".git"));
        var run = Run(Path.Combine(repo.Path, "deploy"), [File("DAPR-SIDECAR-001", DaprAuditOutcome.Fail, "Deployment", "api", "apps/api.yaml", 12, 9, "m")]);

        Assert.StartsWith("::error file=deploy/apps/api.yaml,line=12", AuditReports.CiAnnotations(run, GitHub).Single());
        var checkout = new Dictionary<string, string?>(Azure) { ["BUILD_SOURCESDIRECTORY"] = Path.Combine(repo.Path, "deploy") };
        Assert.StartsWith("##vso[task.logissue type=error;sourcepath=apps/api.yaml;", AuditReports.CiAnnotations(run, checkout).First());
    }

    [Fact]
    public void Hostile_values_in_every_field_cannot_start_a_command_in_Azure_Pipelines()
    {
        var lines = AuditReports.CiAnnotations(Hostile(), Azure).ToList();

        Assert.Equal(HostileValues.Count * 3, lines.Count);
        foreach (var line in lines)
        {
            AssertOneInertLine(line);
            Assert.StartsWith("##vso[task.logissue type=", line);
            Assert.Equal(1, Regex.Count(line, Regex.Escape("##vso["), RegexOptions.IgnoreCase));
            Assert.DoesNotContain("##[", line, StringComparison.Ordinal);
            var close = line.IndexOf(']', StringComparison.Ordinal);
            Assert.Equal(-1, line.IndexOf(']', close + 1));
            var keys = line["##vso[task.logissue ".Length..close].Split(';').Select(p => p[..p.IndexOf('=', StringComparison.Ordinal)]).ToList();
            Assert.Subset(new HashSet<string> { "type", "sourcepath", "linenumber", "columnnumber", "code" }, keys.ToHashSet());
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }
    }

    [Fact]
    public void Hostile_values_in_every_field_cannot_start_a_command_in_GitHub_Actions()
    {
        var lines = AuditReports.CiAnnotations(Hostile(), GitHub).ToList();

        Assert.Equal(HostileValues.Count * 3, lines.Count);
        foreach (var line in lines)
        {
            AssertOneInertLine(line);
            Assert.Matches("^::(error|warning) ", line);
            var propertiesEnd = line.IndexOf("::", 2, StringComparison.Ordinal);
            var properties = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..propertiesEnd].Split(',');
            foreach (var property in properties)
            {
                var (key, value) = (property[..property.IndexOf('=', StringComparison.Ordinal)], property[(property.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                Assert.Contains(key, new[] { "file", "line", "col", "title" });
                Assert.DoesNotContain(':', value);
            }
        }
    }

    [Fact]
    public void Escaped_text_decodes_back_to_the_visible_value()
    {
        var run = Run(null, [Everywhere("50% ; ] a,b:c\nnext \u001b[1m", DaprAuditOutcome.Fail, DaprSeverity.High, path: false)]);

        var azure = AuditReports.CiAnnotations(run, Azure).Single();
        var github = AuditReports.CiAnnotations(run, GitHub).Single();

        Assert.EndsWith("50%AZP25 %3B %5D a,b:c%0Anext \\x1B[1m (High)", azure);
        Assert.Contains("title=50%25 ; ] a%2Cb%3Ac next \\x1B[1m::", github);
        Assert.EndsWith("50%25 ; ] a,b:c%0Anext \\x1B[1m (High)", github);
    }

    /// <summary>One line, no control characters (ANSI escapes included), bounded however long the input (4 KiB of text, escaped).</summary>
    private static void AssertOneInertLine(string line)
    {
        Assert.DoesNotContain(line, c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202e');
        Assert.True(line.Length < 48 * 1024, $"{line.Length} characters");
    }
}
