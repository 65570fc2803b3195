using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// JUnit XML as PublishTestResults@2 (<c>testResultsFormat: JUnit</c>) and GitHub test reporters read it: a test
/// suite per rule, a test case per rule and resource. Failures carry the finding as <c>message</c> and the
/// remediation, resource and help link as text; evaluation errors are <c>error</c>; skipped and suppressed cases
/// are <c>skipped</c> with the reason. File results also carry <c>file</c> and <c>line</c>, which reporters use to
/// annotate the file.
/// </summary>
internal static class JUnitReportWriter
{
    public static void Write(AuditRun run, TextWriter writer)
    {
        var timestamp = run.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var root = SourceRoot.For(run.ScanRoot);
        var suites = new List<XElement>();
        var id = 0;
        var groups = ReportTestCase.ByRule(run);
        foreach (var (ruleId, cases) in groups)
        {
            var suite = new XElement("testsuite", new XAttribute("name", ruleId), new XAttribute("id", id++), new XAttribute("package", ReportTool.Name));
            SetCounts(suite, cases);
            suite.Add(new XAttribute("timestamp", timestamp), new XAttribute("hostname", ReportTool.Name));
            var first = cases[0].Result;
            suite.Add(new XElement(
                "properties",
                Property("severity", first.Severity.ToString()),
                Property("area", ReportTestCase.Clean(first.Area)),
                Property("title", ReportTestCase.Clean(first.Title))));
            suite.Add(cases.Select(c => Case(c, root)));
            suites.Add(suite);
        }

        var testSuites = new XElement("testsuites", new XAttribute("name", $"{ReportTool.Name} {run.ToolVersion}"));
        SetCounts(testSuites, groups.SelectMany(g => g.Cases).ToList());
        testSuites.Add(suites);

        using var xml = XmlWriter.Create(writer, new XmlWriterSettings { Indent = true, CloseOutput = false });
        new XDocument(new XDeclaration("1.0", "utf-8", null), testSuites).Save(xml);
    }

    private static XElement Case(ReportTestCase testCase, SourceRoot root)
    {
        var element = new XElement("testcase", new XAttribute("name", testCase.Name), new XAttribute("classname", testCase.ClassName), new XAttribute("time", "0"));
        var result = testCase.Result;
        if (ReportResource.IsFile(result))
        {
            element.Add(new XAttribute("file", ReportTestCase.Clean(root.Relative(result.Path))));
            if (result.Line > 0)
            {
                element.Add(new XAttribute("line", result.Line));
            }
        }

        if (testCase.IsFailure)
        {
            var kind = testCase.Outcome == DaprAuditOutcome.Error ? "error" : "failure";
            element.Add(new XElement(kind, new XAttribute("message", testCase.Message), new XAttribute("type", kind == "error" ? "Error" : result.Severity.ToString()), testCase.Details));
        }
        else if (testCase.IsSkipped)
        {
            element.Add(new XElement("skipped", new XAttribute("message", testCase.Message)));
        }

        element.Add(new XElement("system-out", testCase.Details));
        return element;
    }

    private static void SetCounts(XElement element, IReadOnlyList<ReportTestCase> cases)
    {
        element.SetAttributeValue("tests", cases.Count);
        element.SetAttributeValue("failures", cases.Count(c => c.Outcome == DaprAuditOutcome.Fail));
        element.SetAttributeValue("errors", cases.Count(c => c.Outcome == DaprAuditOutcome.Error));
        element.SetAttributeValue("skipped", cases.Count(c => c.IsSkipped));
        element.SetAttributeValue("time", "0");
    }

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));
}
