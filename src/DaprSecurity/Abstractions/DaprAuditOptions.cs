using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>How one Test-DaprSecurity run judges, suppresses, remembers and reports its results.</summary>
public sealed record DaprAuditOptions
{
    /// <summary>Also return passing results.</summary>
    public bool IncludePass { get; init; }

    /// <summary>Failures at or above this severity make the run fail (-Quiet returns $false).</summary>
    public DaprSeverity FailOn { get; init; } = DaprSeverity.High;

    /// <summary>Only failures not in the baseline count for <see cref="FailOn"/>.</summary>
    public bool FailOnNewOnly { get; init; }

    /// <summary>A token secret older than this many days fails DAPR-TOKEN-003.</summary>
    public int MaxTokenAgeDays { get; init; } = 90;

    /// <summary>A YAML suppression file (file-system path, resolved).</summary>
    public string? SuppressionPath { get; init; }

    /// <summary>A baseline file (file-system path, resolved).</summary>
    public string? BaselinePath { get; init; }

    /// <summary>Write the current failures to <see cref="BaselinePath"/> instead of comparing with it.</summary>
    public bool UpdateBaseline { get; init; }

    /// <summary>A report to write after the run, with <see cref="OutputPath"/>.</summary>
    public DaprReportFormat? OutputFormat { get; init; }

    /// <summary>Where to write the report (file-system path, resolved).</summary>
    public string? OutputPath { get; init; }

    /// <summary>The module version, for reports.</summary>
    public string ToolVersion { get; init; } = "";

    /// <summary>The process environment (TF_BUILD, GITHUB_ACTIONS), for CI annotations.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Set by the engine when the run ends: true when nothing at or above <see cref="FailOn"/> failed and nothing errored.</summary>
    public DaprAuditVerdict Verdict { get; } = new();
}
