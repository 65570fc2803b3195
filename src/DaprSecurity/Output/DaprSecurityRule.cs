using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One rule of the audit catalogue (Get-DaprSecurityRule). Ids are permanent and never reused.</summary>
public sealed class DaprSecurityRule
{
    /// <summary>The permanent id, DAPR-&lt;AREA&gt;-&lt;NNN&gt;, for example DAPR-SIDECAR-001.</summary>
    [TableColumn(0, Width = 16)]
    public string Id { get; init; } = "";

    [TableColumn(1, Width = 8)]
    public DaprSeverity Severity { get; init; }

    /// <summary>The area: MTLS, CTRL, SCOPE, SECRET, SIDECAR, TOKEN, CONFIG or VER.</summary>
    public string Area { get; init; } = "";

    [TableColumn(2, Width = 9)]
    public DaprRuleTarget AppliesTo { get; init; }

    [TableColumn(3)]
    public string Title { get; init; } = "";

    /// <summary>What the rule checks.</summary>
    public string Description { get; init; } = "";

    /// <summary>Why it matters for Dapr.</summary>
    public string Rationale { get; init; } = "";

    /// <summary>The exact annotation, YAML field or cmdlet that fixes a failure.</summary>
    public string Remediation { get; init; } = "";

    public string HelpUri { get; init; } = "";

    public override string ToString() => Id;
}
