namespace DaprSecurity.Engine.Audit.Model;

/// <summary>
/// A Secret as the audit keeps it: its name and key names, when its token last changed, and what is wrong with its
/// token value, never the values themselves.
/// </summary>
/// <param name="TokenProblem">Why the <c>token</c> value is unusable (see TokenRules), or null.</param>
internal sealed record AuditSecret(AuditResource Resource, IReadOnlySet<string> Keys, DateTimeOffset? TokenUpdatedAt, string? TokenProblem);
