using System.Xml.Linq;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;
using static DaprSecurity.Engine.Tests.Audit.Reports.AuditRunFixtures;

namespace DaprSecurity.Engine.Tests.Audit.Reports;

public sealed class TestResultReportTests
{
    [Fact]
    public void NUnit3_has_one_case_per_rule_and_resource_with_the_counts_PublishTestResults_reads()
    {
        var run = XDocument.Parse(Render(DaprReportFormat.NUnit3, Files())).Root!;

        Assert.Equal("test-run", run.Name.LocalName);
        Assert.Equal(("6", "1", "3", "2", "Failed"), Counts(run));
        var assembly = run.Element("test-suite")!;
        Assert.Equal("Assembly", (string?)assembly.Attribute("type"));
        Assert.Equal(("6", "1", "3", "2", "Failed"), Counts(assembly));
        var fixtures = assembly.Elements("test-suite").ToList();
        Assert.Equal(["DAPR-SECRET-001", "DAPR-SIDECAR-001", "DAPR-TOKEN-001", "DAPR-SCOPE-001", "DAPR-CONFIG-002"], fixtures.Select(f => (string?)f.Attribute("name")));
        Assert.All(fixtures, f => Assert.Equal("TestFixture", (string?)f.Attribute("type")));
        Assert.Equal(("2", "0", "1", "1", "Failed"), Counts(fixtures[3]));

        var cases = run.Descendants("test-case").ToList();
        Assert.Equal(6, cases.Select(c => (string?)c.Attribute("fullname")).Distinct().Count());
        var sidecar = Case(cases, "DaprSecurity.DAPR-SIDECAR-001.Deployment shop/api (apps/api.yaml)");
        Assert.Equal("Failed", (string?)sidecar.Attribute("result"));
        Assert.Equal("dapr.io/sidecar-listen-addresses is not set (daprd listens on 0.0.0.0).", (string?)sidecar.Element("failure")!.Element("message"));
        var details = (string?)sidecar.Element("failure")!.Element("stack-trace");
        Assert.Contains("Remediation: Fix DAPR-SIDECAR-001: set the `dapr.io` annotation.", details);
        Assert.Contains("Resource: Deployment shop/api at apps/api.yaml:12:9", details);
        Assert.Contains("Help: https://github.com/daprsecurity/DaprSecurity/blob/main/README.md#audit-dapr-security", details);
        Assert.Equal("High", Property(sidecar, "Severity"));

        var suppressed = Case(cases, "DaprSecurity.DAPR-SCOPE-001.Component shop/pubsub (components/pubsub.yaml)");
        Assert.Equal(("Skipped", "Ignored"), ((string?)suppressed.Attribute("result"), (string?)suppressed.Attribute("label")));
        Assert.Equal("Suppressed: shared bus, reviewed by security", (string?)suppressed.Element("reason")!.Element("message"));
        var error = Case(cases, "DaprSecurity.DAPR-SCOPE-001.cluster (broken.yaml)");
        Assert.Equal(("Failed", "Error"), ((string?)error.Attribute("result"), (string?)error.Attribute("label")));
        Assert.Equal("Not evaluated: The file could not be read: permission denied.", (string?)error.Element("failure")!.Element("message"));
        var skipped = Case(cases, "DaprSecurity.DAPR-TOKEN-001.Deployment shop/api (apps/api.yaml)");
        Assert.Equal("Skipped", (string?)skipped.Attribute("result"));
        Assert.Null(skipped.Attribute("label"));
        Assert.Equal("Needs the live cluster.", (string?)skipped.Element("reason")!.Element("message"));
        Assert.Equal("Passed", (string?)Case(cases, "DaprSecurity.DAPR-CONFIG-002.Configuration shop/appconfig (config/app.yaml)").Attribute("result"));
    }

    [Fact]
    public void JUnit_has_a_suite_per_rule_with_failures_errors_and_skips_counted()
    {
        var suites = XDocument.Parse(Render(DaprReportFormat.JUnit, Files())).Root!;

        Assert.Equal("testsuites", suites.Name.LocalName);
        Assert.Equal(("6", "2", "1", "2"), JUnitCounts(suites));
        var scope = suites.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "DAPR-SCOPE-001");
        Assert.Equal(("2", "0", "1", "1"), JUnitCounts(scope));
        Assert.Equal(5, suites.Elements("testsuite").Count());

        var cases = suites.Descendants("testcase").ToList();
        Assert.Equal(6, cases.Count);
        var secret = cases.Single(c => (string?)c.Attribute("classname") == "DaprSecurity.DAPR-SECRET-001");
        Assert.Equal("Component shop/statestore (components/state.yaml)", (string?)secret.Attribute("name"));
        Assert.Equal("components/state.yaml", (string?)secret.Attribute("file"));
        Assert.Equal("10", (string?)secret.Attribute("line"));
        var failure = secret.Element("failure")!;
        Assert.Equal("metadata redisPassword has a plain value.", (string?)failure.Attribute("message"));
        Assert.Equal("Critical", (string?)failure.Attribute("type"));
        Assert.Contains("Remediation: Fix DAPR-SECRET-001", failure.Value);
        Assert.Equal("Suppressed: shared bus, reviewed by security", (string?)scope.Descendants("skipped").Single().Attribute("message"));
        Assert.Equal("Not evaluated: The file could not be read: permission denied.", (string?)scope.Descendants("error").Single().Attribute("message"));
        Assert.Equal(["system-out"], cases.Single(c => (string?)c.Attribute("classname") == "DaprSecurity.DAPR-CONFIG-002").Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void Cluster_cases_are_named_by_resource_and_context()
    {
        var nunit = XDocument.Parse(Render(DaprReportFormat.NUnit3, Cluster())).Root!;
        var junit = XDocument.Parse(Render(DaprReportFormat.JUnit, Cluster())).Root!;

        Assert.Equal(("6", "1", "4", "1", "Failed"), Counts(nunit));
        Assert.Equal(("6", "3", "1", "1"), JUnitCounts(junit));
        Assert.Contains(junit.Descendants("testcase"), c => (string?)c.Attribute("name") == "Deployment dapr-system/dapr-sentry (lab)" && c.Attribute("file") is null);
    }

    [Fact]
    public void A_resource_met_twice_by_one_rule_gets_distinct_case_names()
    {
        var twice = File("DAPR-SECRET-001", DaprAuditOutcome.Fail, "Component", "statestore", "components/state.yaml", 10, 7, "redisPassword");
        var run = Run(ScanRoot, [twice, twice, twice]);

        var names = XDocument.Parse(Render(DaprReportFormat.JUnit, run)).Descendants("testcase").Select(c => (string?)c.Attribute("name")).ToList();

        Assert.Equal(["Component shop/statestore (components/state.yaml)", "Component shop/statestore (components/state.yaml) #2", "Component shop/statestore (components/state.yaml) #3"], names);
    }

    [Theory]
    [InlineData(DaprReportFormat.NUnit3)]
    [InlineData(DaprReportFormat.JUnit)]
    public void Hostile_values_give_well_formed_bounded_XML(DaprReportFormat format)
    {
        var xml = Render(format, Hostile());

        var document = XDocument.Parse(xml);
        Assert.Equal(HostileValues.Count * 4, document.Descendants(format == DaprReportFormat.JUnit ? "testcase" : "test-case").Count());
        Assert.True(xml.Length < 8 * 1024 * 1024, $"{xml.Length} characters");
        Assert.DoesNotContain('\u001b', xml);
        Assert.Contains(@"\x1B[31mred", xml);
        Assert.Contains("&lt;script&gt;", xml);
    }

    private static XElement Case(IEnumerable<XElement> cases, string fullName) => cases.Single(c => (string?)c.Attribute("fullname") == fullName);

    private static string? Property(XElement element, string name)
        => (string?)element.Element("properties")!.Elements("property").Single(p => (string?)p.Attribute("name") == name).Attribute("value");

    private static (string?, string?, string?, string?, string?) Counts(XElement element)
        => ((string?)element.Attribute("total"), (string?)element.Attribute("passed"), (string?)element.Attribute("failed"), (string?)element.Attribute("skipped"), (string?)element.Attribute("result"));

    private static (string?, string?, string?, string?) JUnitCounts(XElement element)
        => ((string?)element.Attribute("tests"), (string?)element.Attribute("failures"), (string?)element.Attribute("errors"), (string?)element.Attribute("skipped"));
}
