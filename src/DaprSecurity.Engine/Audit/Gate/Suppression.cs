using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Audit.Gate;

/// <summary>
/// One suppression: the rule ids and resources it covers (wildcards), its required reason and optional expiry, and
/// where it was written (an object's annotation, or a line of the suppression file).
/// </summary>
internal sealed record Suppression(string RuleId, string? Namespace, string? Kind, string? Name, string Reason, DateOnly? Expires, string Origin)
{
    /// <summary>True when it is written on the object itself (its annotation), false for a suppression file: SARIF's inSource and external.</summary>
    public bool InSource => Origin == Suppressions.Annotation;

    public bool Covers(string ruleId, AuditResource resource)
        => Matches(RuleId, ruleId) && Matches(Namespace, resource.Namespace) && Matches(Kind, resource.Kind) && Matches(Name, resource.Name);

    /// <summary>True when the expiry date has passed (the suppression covers up to and including that day, UTC).</summary>
    public bool IsExpired(DateTimeOffset now) => Expires is { } date && DateOnly.FromDateTime(now.UtcDateTime) > date;

    private static bool Matches(string? pattern, string value) => pattern is null || new Wildcard(pattern).IsMatch(value);
}
