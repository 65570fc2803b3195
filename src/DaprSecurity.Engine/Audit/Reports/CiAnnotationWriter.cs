using System.Globalization;
using DaprSecurity.Engine.DevOps;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// Annotations for the CI system the run is in: Azure Pipelines <c>##vso[task.logissue]</c> or GitHub Actions
/// <c>::error</c>/<c>::warning</c>, one per failure or evaluation error, most severe first, at most
/// <see cref="MaxAnnotations"/> and then one line with the count left out. Every cluster- or file-supplied value is
/// made visible (<see cref="ReportText"/>), bounded and escaped for the system, so it stays data on one line.
/// </summary>
internal static class CiAnnotationWriter
{
    /// <summary>More than this and the run summary becomes noise; the report file has the full list.</summary>
    public const int MaxAnnotations = 100;

    private const int MaxMessageLength = 4096;
    private const int MaxPropertyLength = 1024;

    private enum CiSystem
    {
        None,
        AzurePipelines,
        GitHubActions,
    }

    public static IEnumerable<string> Lines(AuditRun run, IReadOnlyDictionary<string, string?> environment)
    {
        var system = Detect(environment);
        if (system == CiSystem.None)
        {
            return [];
        }

        var findings = ReportSeverity.MostSevereFirst(run.Results.Where(r => r.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error)).ToList();
        var checkout = environment.GetValueOrDefault(system == CiSystem.AzurePipelines ? "BUILD_SOURCESDIRECTORY" : "GITHUB_WORKSPACE");
        var root = SourceRoot.For(run.ScanRoot, checkout);
        var lines = findings.Take(MaxAnnotations).Select(f => system == CiSystem.AzurePipelines ? AzureLine(f, root) : GitHubLine(f, root)).ToList();

        var anyError = findings.Any(IsError);
        if (findings.Count > MaxAnnotations)
        {
            var left = findings.Count - MaxAnnotations;
            var note = string.Create(CultureInfo.InvariantCulture, $"{left} more findings not shown ({findings.Count} in total); the -OutputPath report lists them all.");
            var hiddenError = findings.Skip(MaxAnnotations).Any(IsError);
            lines.Add(system == CiSystem.AzurePipelines
                ? AzurePipelines.LogIssue(hiddenError, note, ReportTool.Name)
                : GitHubActions.Command(hiddenError ? "error" : "warning", [new("title", ReportTool.Name)], note));
        }

        if (system == CiSystem.AzurePipelines && findings.Count > 0 && !anyError)
        {
            lines.Add("##vso[task.complete result=SucceededWithIssues;]");
        }

        return lines;
    }

    private static CiSystem Detect(IReadOnlyDictionary<string, string?> environment)
    {
        if (string.Equals(environment.GetValueOrDefault("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase))
        {
            return CiSystem.AzurePipelines;
        }

        return string.Equals(environment.GetValueOrDefault("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase)
            ? CiSystem.GitHubActions
            : CiSystem.None;
    }

    private static bool IsError(DaprSecurityResult finding)
        => finding.Outcome == DaprAuditOutcome.Error || ReportSeverity.IsCiError(finding.Severity);

    private static string AzureLine(DaprSecurityResult finding, SourceRoot root)
    {
        var properties = new List<KeyValuePair<string, string>> { new("type", IsError(finding) ? "error" : "warning") };
        if (ReportResource.IsFile(finding))
        {
            properties.Add(new("sourcepath", Property(root.Relative(finding.Path))));
            AddPosition(properties, finding, "linenumber", "columnnumber");
        }

        properties.Add(new("code", Property(finding.RuleId)));
        return AzurePipelines.Command("task.logissue", properties, Message(finding));
    }

    private static string GitHubLine(DaprSecurityResult finding, SourceRoot root)
    {
        var properties = new List<KeyValuePair<string, string>>();
        if (ReportResource.IsFile(finding))
        {
            properties.Add(new("file", Property(root.Relative(finding.Path))));
            AddPosition(properties, finding, "line", "col");
        }

        properties.Add(new("title", Property(finding.RuleId)));
        return GitHubActions.Command(IsError(finding) ? "error" : "warning", properties, Message(finding));
    }

    private static void AddPosition(List<KeyValuePair<string, string>> properties, DaprSecurityResult finding, string line, string column)
    {
        if (finding.Line > 0)
        {
            properties.Add(new(line, finding.Line.ToString(CultureInfo.InvariantCulture)));
            if (finding.Column > 0)
            {
                properties.Add(new(column, finding.Column.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>
    /// "Deployment shop/api (context lab): message (High)", or "... not evaluated: reason": the resource matters
    /// most where there is no file.
    /// </summary>
    private static string Message(DaprSecurityResult finding)
    {
        var where = finding.Context.Length > 0 ? $" (context {finding.Context})" : "";
        var text = finding.Message.Length > 0 ? finding.Message : finding.Title;
        var message = finding.Outcome == DaprAuditOutcome.Error
            ? $"{ReportResource.Describe(finding)}{where} not evaluated: {text}"
            : $"{ReportResource.Describe(finding)}{where}: {text} ({finding.Severity})";
        return ReportText.Clean(message, MaxMessageLength);
    }

    private static string Property(string value) => ReportText.Clean(value, MaxPropertyLength).Replace('\n', ' ');
}
