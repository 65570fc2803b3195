namespace DaprSecurity.Output;

/// <summary>Where an audit rule can be evaluated.</summary>
[Flags]
public enum DaprRuleTarget
{
    /// <summary>Against a live cluster only.</summary>
    Cluster = 1,

    /// <summary>Against manifest files only.</summary>
    Files = 2,

    /// <summary>Against a cluster and against files.</summary>
    Both = Cluster | Files,
}
