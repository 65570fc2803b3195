using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>Where Set-DaprTokenEnvironment put a token.</summary>
public sealed class DaprTokenEnvironmentResult
{
    /// <summary>APP_API_TOKEN or DAPR_API_TOKEN.</summary>
    [TableColumn(0)]
    public string Variable { get; init; } = "";

    [TableColumn(1)]
    public DaprTokenKind Kind { get; init; }

    /// <summary>"Process" for the current process, otherwise the full path of the dotenv file.</summary>
    [TableColumn(2)]
    public string Target { get; init; } = "";

    [TableColumn(3)]
    public string Fingerprint { get; init; } = "";

    public override string ToString() => $"{Variable} -> {Target}";
}
