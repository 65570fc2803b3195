using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>How a rule severity reads in each report and CI system: one mapping for all of them.</summary>
internal static class ReportSeverity
{
    /// <summary>SARIF <c>level</c>: Critical and High are errors, Medium a warning, Low and Info notes.</summary>
    public static string SarifLevel(DaprSeverity severity) => severity switch
    {
        DaprSeverity.Critical or DaprSeverity.High => "error",
        DaprSeverity.Medium => "warning",
        _ => "note",
    };

    /// <summary>
    /// GitHub's <c>security-severity</c> (0.1-10; 9+ critical, 7-8.9 high, 4-6.9 medium, below low); none for Info,
    /// which GitHub then ranks by its <c>note</c> level instead of as a security alert.
    /// </summary>
    public static string? SecuritySeverity(DaprSeverity severity) => severity switch
    {
        DaprSeverity.Critical => "9.5",
        DaprSeverity.High => "8.0",
        DaprSeverity.Medium => "5.5",
        DaprSeverity.Low => "3.0",
        _ => null,
    };

    /// <summary>True where a CI annotation is an error (High and Critical) rather than a warning.</summary>
    public static bool IsCiError(DaprSeverity severity) => severity >= DaprSeverity.High;

    /// <summary>Results most severe first, then by rule and resource, so capped lists keep what matters.</summary>
    public static IEnumerable<DaprSecurityResult> MostSevereFirst(IEnumerable<DaprSecurityResult> results)
        => results
            .OrderByDescending(r => r.Outcome == DaprAuditOutcome.Error)
            .ThenByDescending(r => r.Severity)
            .ThenBy(r => r.RuleId, StringComparer.Ordinal)
            .ThenBy(r => r.Context, StringComparer.Ordinal)
            .ThenBy(r => r.Path, StringComparer.Ordinal)
            .ThenBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal);
}
