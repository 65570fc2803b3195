namespace DaprSecurity.Engine.Audit.Model;

/// <summary>What one rule found about one resource.</summary>
/// <param name="Failed">False for a pass.</param>
/// <param name="Message">What was found, with the value where it is not secret.</param>
/// <param name="At">The manifest path of the offending field (for line and column).</param>
internal sealed record RuleFinding(AuditResource Resource, bool Failed, string Message, IReadOnlyList<string>? At = null)
{
    /// <summary>A lower severity than the rule's for this result (an mTLS check's warning), or null.</summary>
    public Output.DaprSeverity? Severity { get; init; }

    /// <summary>The rule could not be evaluated (for example, forbidden): an Error result.</summary>
    public bool IsError { get; init; }

    public static RuleFinding Pass(AuditResource resource, string message, IReadOnlyList<string>? at = null) => new(resource, false, message, at);

    public static RuleFinding Fail(AuditResource resource, string message, IReadOnlyList<string>? at = null) => new(resource, true, message, at);
}
