using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// One test case of the NUnit3 and JUnit reports: a rule applied to one resource. Suppressed results are skipped
/// test cases with the reason (Azure DevOps shows them as "Not executed", apart from passes and failures, so the
/// pass rate stays honest and the accepted risk stays visible); Error results are failures, never passes.
/// All text is cleaned for XML.
/// </summary>
internal sealed record ReportTestCase(string Name, string ClassName, DaprAuditOutcome Outcome, string Message, string Details, DaprSecurityResult Result)
{
    /// <summary>XML text from the cluster or files is bounded so one hostile value cannot bloat the report.</summary>
    private const int MaxTextLength = 32 * 1024;

    public bool IsFailure => Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error;

    public bool IsSkipped => Outcome is DaprAuditOutcome.Skipped or DaprAuditOutcome.Suppressed;

    /// <summary>The run's results as test cases grouped by rule id (catalogue order, then any other id), names unique in a group.</summary>
    public static IReadOnlyList<(string RuleId, IReadOnlyList<ReportTestCase> Cases)> ByRule(AuditRun run)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < run.Rules.Count; i++)
        {
            order.TryAdd(run.Rules[i].Id, i);
        }

        return run.Results
            .GroupBy(r => r.RuleId, StringComparer.Ordinal)
            .OrderBy(g => order.GetValueOrDefault(g.Key, int.MaxValue))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Clean(g.Key), (IReadOnlyList<ReportTestCase>)UniqueCases(g).ToList()))
            .ToList();
    }

    /// <summary>Test reporters key cases by class and name, so a repeated resource gets " #2", " #3".</summary>
    private static IEnumerable<ReportTestCase> UniqueCases(IEnumerable<DaprSecurityResult> results)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            var name = Clean(CaseName(result));
            var count = seen[name] = seen.GetValueOrDefault(name) + 1;
            yield return From(result, count == 1 ? name : $"{name} #{count}");
        }
    }

    private static string CaseName(DaprSecurityResult result)
    {
        var where = ReportResource.IsFile(result) ? result.Path : result.Context;
        return where.Length > 0 ? $"{ReportResource.Describe(result)} ({where})" : ReportResource.Describe(result);
    }

    private static ReportTestCase From(DaprSecurityResult result, string name)
    {
        var message = result.Outcome switch
        {
            DaprAuditOutcome.Suppressed => $"Suppressed: {result.SuppressionReason}",
            DaprAuditOutcome.Error => $"Not evaluated: {result.Message}",
            _ => result.Message,
        };
        var details = new List<string> { $"{result.RuleId} ({result.Severity}): {result.Title}" };
        if (result.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Suppressed && result.Remediation.Length > 0)
        {
            details.Add($"Remediation: {result.Remediation}");
        }

        if (result.Outcome == DaprAuditOutcome.Suppressed)
        {
            details.Add($"Finding: {result.Message}");
        }

        details.Add($"Resource: {ReportResource.Describe(result)}" + (ReportResource.Where(result) is { Length: > 0 } where ? $" at {where}" : ""));
        if (result.HelpUri.Length > 0)
        {
            details.Add($"Help: {ReportTool.AbsoluteHelpUri(result.HelpUri) ?? result.HelpUri}");
        }

        return new ReportTestCase(name, Clean($"{ReportTool.Name}.{result.RuleId}"), result.Outcome, Clean(message), Clean(string.Join('\n', details)), result);
    }

    /// <summary>XML 1.0 cannot hold most control characters at all; <see cref="ReportText"/> writes them visibly.</summary>
    public static string Clean(string text) => ReportText.Clean(text, MaxTextLength);
}
