using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>Where Set-DaprTokenEnvironment put a token.</summary>
public sealed class DaprTokenEnvironmentResult
{
    /// <summary>APP_API_TOKEN or DAPR_API_TOKEN.</summary>
    [TableColumn(0, Width = 14)]
    public string Variable { get; init; } = "";

    [TableColumn(1, Width = 4)]
    public DaprTokenKind Kind { get; init; }

    /// <summary>"Process" for the current process, otherwise the full path of the dotenv file.</summary>
    [TableColumn(2, Width = 45)]
    public string Target { get; init; } = "";

    [TableColumn(3, Width = 12)]
    public string Fingerprint { get; init; } = "";

    public override string ToString() => $"{Variable} -> {Target}";
}
