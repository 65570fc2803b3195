using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>What one audit rule concluded about one resource (Test-DaprSecurity).</summary>
public sealed class DaprSecurityResult
{
    // Location and fingerprint cost a tree walk and a hash; most results of a -Path scan are passes nobody reads, so
    // the engine may hand over how to compute them instead, and they are computed on first read.
    private Func<(int Line, int Column)>? _locate;
    private Func<string>? _fingerprintOf;
    private int _line;
    private int _column;
    private string? _fingerprint;

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
    public int Line
    {
        get { Located(); return _line; }
        init { _line = value; }
    }

    /// <summary>For files: the 1-based column of the offending field (0 when unknown).</summary>
    public int Column
    {
        get { Located(); return _column; }
        init { _column = value; }
    }

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
    public string Fingerprint
    {
        get => _fingerprint ??= _fingerprintOf?.Invoke() ?? "";
        init => _fingerprint = value;
    }

    /// <summary>Computes Line and Column on first read (instead of setting them).</summary>
    internal Func<(int Line, int Column)>? LocateLater { init => _locate = value; }

    /// <summary>Computes Fingerprint on first read (instead of setting it).</summary>
    internal Func<string>? FingerprintLater { init => _fingerprintOf = value; }

    /// <summary>What the result is about, short: "path:line" for files, "Kind namespace/name" for a cluster (the table shows it; Format-List shows the rest).</summary>
    [TableColumn(3)]
    public string Target => Path.Length > 0 ? Line > 0 ? $"{Path}:{Line}" : Path : $"{Kind} {(Namespace.Length > 0 ? Namespace + "/" : "")}{Name}";

    private void Located()
    {
        if (_locate is { } locate)
        {
            (_line, _column) = locate();
            _locate = null;
        }
    }

    public override string ToString() => $"{RuleId} {Outcome} {Kind} {Namespace}/{Name}";
}
