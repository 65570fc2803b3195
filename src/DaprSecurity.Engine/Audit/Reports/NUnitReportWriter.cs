using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// NUnit 3 XML as Azure DevOps' PublishTestResults@2 (<c>testResultsFormat: NUnit</c>) reads it: a test run holding
/// one assembly suite, a fixture per rule and a test case per rule and resource. A failure's message is the finding
/// and its stack trace the remediation, resource and help link (Azure DevOps shows both); skipped and suppressed
/// cases carry their reason.
/// </summary>
internal static class NUnitReportWriter
{
    public static void Write(AuditRun run, TextWriter writer)
    {
        var start = run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var id = 0;
        var fixtures = new List<XElement>();
        var groups = ReportTestCase.ByRule(run);
        foreach (var (ruleId, cases) in groups)
        {
            var fixture = Suite("TestFixture", ++id, ruleId, $"{ReportTool.Name}.{ruleId}", cases, start);
            fixture.Add(new XAttribute("classname", $"{ReportTool.Name}.{ruleId}"));
            fixture.Add(cases.Select(c => Case(c, ++id, start)));
            fixtures.Add(fixture);
        }

        var all = groups.SelectMany(g => g.Cases).Select(c => Outcome(c.Outcome)).ToList();
        var assembly = Suite("Assembly", 0, ReportTool.Name, ReportTool.Name, [], start);
        SetCounts(assembly, all);
        assembly.Add(fixtures);

        var testRun = new XElement(
            "test-run",
            new XAttribute("id", "0"),
            new XAttribute("name", ReportTool.Name),
            new XAttribute("fullname", ReportTool.Name),
            new XAttribute("engine-version", "3.0"),
            new XAttribute("clr-version", Environment.Version.ToString()),
            new XAttribute("start-time", start),
            new XAttribute("end-time", start),
            new XAttribute("duration", "0"));
        SetCounts(testRun, all);
        testRun.Add(new XElement("command-line", ($"Test-DaprSecurity ({ReportTool.Name} {run.ToolVersion})")), assembly);

        using var xml = XmlWriter.Create(writer, new XmlWriterSettings { Indent = true, CloseOutput = false });
        new XDocument(new XDeclaration("1.0", "utf-8", null), testRun).Save(xml);
    }

    private static XElement Suite(string type, int id, string name, string fullName, IReadOnlyList<ReportTestCase> cases, string start)
    {
        var suite = new XElement(
            "test-suite",
            new XAttribute("type", type),
            new XAttribute("id", $"0-{id}"),
            new XAttribute("name", name),
            new XAttribute("fullname", fullName),
            new XAttribute("runstate", "Runnable"),
            new XAttribute("start-time", start),
            new XAttribute("end-time", start),
            new XAttribute("duration", "0"));
        if (cases.Count > 0)
        {
            SetCounts(suite, cases.Select(c => Outcome(c.Outcome)).ToList());
            var first = cases[0].Result;
            suite.Add(Properties(("Severity", first.Severity.ToString()), ("Area", ReportTestCase.Clean(first.Area)), ("Title", ReportTestCase.Clean(first.Title))));
        }

        return suite;
    }

    private static XElement Case(ReportTestCase testCase, int id, string start)
    {
        var (result, label) = Outcome(testCase.Outcome);
        var element = new XElement(
            "test-case",
            new XAttribute("id", $"0-{id}"),
            new XAttribute("name", testCase.Name),
            new XAttribute("fullname", $"{testCase.ClassName}.{testCase.Name}"),
            new XAttribute("methodname", testCase.Name),
            new XAttribute("classname", testCase.ClassName),
            new XAttribute("runstate", "Runnable"),
            new XAttribute("result", result));
        if (label is not null)
        {
            element.Add(new XAttribute("label", label));
        }

        element.Add(new XAttribute("start-time", start), new XAttribute("end-time", start), new XAttribute("duration", "0"), new XAttribute("asserts", "0"));
        var r = testCase.Result;
        element.Add(Properties(
            ("Severity", r.Severity.ToString()),
            ("Outcome", r.Outcome.ToString()),
            ("Context", ReportTestCase.Clean(r.Context)),
            ("Namespace", ReportTestCase.Clean(r.Namespace)),
            ("Kind", ReportTestCase.Clean(r.Kind)),
            ("Name", ReportTestCase.Clean(r.Name)),
            ("Path", ReportTestCase.Clean(r.Path)),
            ("Line", r.Line > 0 ? r.Line.ToString(CultureInfo.InvariantCulture) : ""),
            ("Baseline", r.Baseline == DaprBaselineState.None ? "" : r.Baseline.ToString())));
        if (testCase.IsFailure)
        {
            element.Add(new XElement("failure", new XElement("message", (testCase.Message)), new XElement("stack-trace", (testCase.Details))));
        }
        else if (testCase.IsSkipped)
        {
            element.Add(new XElement("reason", new XElement("message", (testCase.Message))));
        }

        element.Add(new XElement("output", (testCase.Details)));
        return element;
    }

    /// <summary>NUnit's result and label: Error is a failure labelled Error, Suppressed a skip labelled Ignored.</summary>
    private static (string Result, string? Label) Outcome(DaprAuditOutcome outcome) => outcome switch
    {
        DaprAuditOutcome.Pass => ("Passed", null),
        DaprAuditOutcome.Fail => ("Failed", null),
        DaprAuditOutcome.Error => ("Failed", "Error"),
        DaprAuditOutcome.Suppressed => ("Skipped", "Ignored"),
        _ => ("Skipped", null),
    };

    private static void SetCounts(XElement element, IReadOnlyList<(string Result, string? Label)> outcomes)
    {
        int Count(string result) => outcomes.Count(o => o.Result == result);
        var failed = Count("Failed");
        element.SetAttributeValue("testcasecount", outcomes.Count);
        element.SetAttributeValue("result", failed > 0 ? "Failed" : "Passed");
        element.SetAttributeValue("total", outcomes.Count);
        element.SetAttributeValue("passed", Count("Passed"));
        element.SetAttributeValue("failed", failed);
        element.SetAttributeValue("warnings", 0);
        element.SetAttributeValue("inconclusive", 0);
        element.SetAttributeValue("skipped", Count("Skipped"));
        element.SetAttributeValue("asserts", 0);
    }

    private static XElement Properties(params (string Name, string Value)[] properties)
        => new("properties", properties.Where(p => p.Value.Length > 0).Select(p => new XElement("property", new XAttribute("name", p.Name), new XAttribute("value", p.Value))));
}
