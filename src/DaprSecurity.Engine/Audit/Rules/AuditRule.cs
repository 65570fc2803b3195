using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>A rule of the catalogue: its published description and the function that evaluates it on a snapshot.</summary>
internal sealed record AuditRule(DaprSecurityRule Info, Func<AuditSnapshot, IEnumerable<RuleFinding>> Evaluate)
{
    /// <summary>
    /// True for rules that judge the cluster as a whole, from the control plane's evidence (the mTLS checks). Every
    /// other rule reads one namespace at a time, so a cluster audit writes a namespace's results as soon as it is read.
    /// </summary>
    public bool ClusterWide => Info.Area == "MTLS";

    /// <summary>
    /// True for the cluster-wide rules made from the running sidecars (set in the catalogue): a cluster audit
    /// evaluates them last, from the pods it lists namespace by namespace, so the other mTLS results need not wait.
    /// </summary>
    public bool ReadsSidecars { get; init; }

    /// <summary>True when the rule needs what only a live cluster tells.</summary>
    public bool ClusterOnly => Info.AppliesTo == DaprRuleTarget.Cluster;
}
