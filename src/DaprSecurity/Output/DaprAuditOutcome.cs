namespace DaprSecurity.Output;

/// <summary>What an audit rule concluded about one resource.</summary>
public enum DaprAuditOutcome
{
    /// <summary>The resource meets the rule (emitted only with -IncludePass).</summary>
    Pass,

    /// <summary>The resource breaks the rule.</summary>
    Fail,

    /// <summary>The rule does not apply here, with the reason in Message (for example a cluster-only rule on files).</summary>
    Skipped,

    /// <summary>The resource breaks the rule, but a suppression with a reason covers it.</summary>
    Suppressed,

    /// <summary>The rule could not be evaluated (for example a forbidden list): never a pass.</summary>
    Error,
}
