using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>
/// One namespace's token secret after Set-DaprTokenSecret (or Remove-DaprTokenSecret). Pipe it to Restart-DaprDeployment
/// to restart exactly the workloads of that namespace that use the secret.
/// </summary>
public sealed class DaprTokenSecretResult : DaprClusterObject
{
    [TableColumn(0, Width = 18)]
    public string Namespace { get; init; } = "";

    [TableColumn(1, Width = 16)]
    public string SecretName { get; init; } = "";

    [TableColumn(2, Width = 4)]
    public DaprTokenKind Kind { get; init; }

    /// <summary>The fingerprint of the token the secret now holds.</summary>
    [TableColumn(3, Width = 12)]
    public string Fingerprint { get; init; } = "";

    [TableColumn(4, Width = 9)]
    public DaprTokenSecretAction Action { get; init; }

    /// <summary>When the secret's token last changed; pods started before then still use the previous token.</summary>
    [TableColumn(5, Wide = true)]
    public DateTimeOffset? UpdatedAt { get; init; }

    public override string ToString() => $"{Namespace}/{SecretName}";
}
