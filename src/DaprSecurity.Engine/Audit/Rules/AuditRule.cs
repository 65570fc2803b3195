using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>A rule of the catalogue: its published description and the function that evaluates it on a snapshot.</summary>
internal sealed record AuditRule(DaprSecurityRule Info, Func<AuditSnapshot, IEnumerable<RuleFinding>> Evaluate)
{
    /// <summary>True when the rule needs what only a live cluster tells.</summary>
    public bool ClusterOnly => Info.AppliesTo == DaprRuleTarget.Cluster;
}
