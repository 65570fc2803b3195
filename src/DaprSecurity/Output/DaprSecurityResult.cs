using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>What one audit rule concluded about one resource (Test-DaprSecurity).</summary>
public sealed class DaprSecurityResult
{
    [TableColumn(0)]
    public string RuleId { get; init; } = "";

    [TableColumn(1)]
    public DaprSeverity Severity { get; init; }

    [TableColumn(2)]
    public DaprAuditOutcome Outcome { get; init; }

    public string Title { get; init; } = "";

    /// <summary>The rule's area (MTLS, SCOPE, ...).</summary>
    public string Area { get; init; } = "";

    /// <summary>The kubeconfig context audited; empty for files.</summary>
    public string Context { get; init; } = "";

    public string Namespace { get; init; } = "";

    /// <summary>The Kubernetes kind of the resource (Component, Deployment, ...).</summary>
    public string Kind { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>For files: the path relative to the scanned root, with forward slashes; empty for a cluster.</summary>
    public string Path { get; init; } = "";

    /// <summary>For files: the 1-based line of the offending field (0 when unknown).</summary>
    public int Line { get; init; }

    /// <summary>For files: the 1-based column of the offending field (0 when unknown).</summary>
    public int Column { get; init; }

    /// <summary>What was found, with the actual value where it is not secret. Raw text: sanitize before logging.</summary>
    public string Message { get; init; } = "";

    public string Remediation { get; init; } = "";

    public string HelpUri { get; init; } = "";

    /// <summary>The reason of the suppression that covers this failure (Outcome Suppressed).</summary>
    public string SuppressionReason { get; init; } = "";

    /// <summary>
    /// True when the suppression is written on the object itself (its daprsecurity.io/ignore annotation, in a
    /// manifest or on a live object); false for a -SuppressionPath file. SARIF reports it as inSource or external.
    /// </summary>
    public bool SuppressedInSource { get; init; }

    /// <summary>New or Known against -BaselinePath; None without a baseline.</summary>
    public DaprBaselineState Baseline { get; init; }

    /// <summary>A stable key (rule id and the resource's identity, never a line number) used by baselines and SARIF.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>What the result is about, short: "path:line" for files, "Kind namespace/name" for a cluster (the table shows it; Format-List shows the rest).</summary>
    [TableColumn(3)]
    public string Target => Path.Length > 0 ? Line > 0 ? $"{Path}:{Line}" : Path : $"{Kind} {(Namespace.Length > 0 ? Namespace + "/" : "")}{Name}";

    public override string ToString() => $"{RuleId} {Outcome} {Kind} {Namespace}/{Name}";
}
