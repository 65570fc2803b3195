using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>The result of Test-DaprMtls: every check and the overall verdict.</summary>
public sealed class DaprMtlsReport : DaprClusterObject
{
    /// <summary>The kubeconfig context that was checked.</summary>
    [TableColumn(0, Width = 24)]
    public override string? Context { get => base.Context; init => base.Context = value; }

    /// <summary>The Dapr control-plane namespace.</summary>
    [TableColumn(1, Width = 16)]
    public string Namespace { get; init; } = "";

    /// <summary>The worst result of all checks.</summary>
    [TableColumn(2, Width = 7)]
    public DaprCheckResult Verdict { get; init; }

    [TableColumn(3, Width = 6, AlignRight = true)]
    public int Failed => Checks.Count(c => c.Result == DaprCheckResult.Fail);

    [TableColumn(4, Width = 8, AlignRight = true)]
    public int Warnings => Checks.Count(c => c.Result == DaprCheckResult.Warning);

    public DaprList<DaprMtlsCheck> Checks { get; init; } = Array.Empty<DaprMtlsCheck>();

    /// <summary>The checks that did not pass, as "Name: Result" joined with ";", for Export-Csv.</summary>
    public string ProblemList => string.Join(";", Checks.Where(c => c.Result != DaprCheckResult.Pass));

    /// <summary>When the checks ran (UTC).</summary>
    public DateTime CheckedAt { get; init; }

    public override string ToString() => $"{Verdict} ({Failed} failed, {Warnings} warnings)";
}
