using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One named check of Test-DaprMtls.</summary>
public sealed class DaprMtlsCheck
{
    /// <summary>A stable name, e.g. IssuerValidity; filter on it in scripts.</summary>
    [TableColumn(0, Width = 20)]
    public string Name { get; init; } = "";

    [TableColumn(1, Width = 7)]
    public DaprCheckResult Result { get; init; }

    [TableColumn(2, Width = 50)]
    public string Detail { get; init; } = "";

    public override string ToString() => $"{Name}: {Result}";
}
