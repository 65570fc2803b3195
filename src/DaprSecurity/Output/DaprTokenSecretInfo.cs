using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>A token secret in one namespace: whether it exists, which token it holds (by fingerprint) and who uses it.</summary>
public sealed class DaprTokenSecretInfo : DaprClusterObject
{
    [TableColumn(0, Width = 14)]
    public string Namespace { get; init; } = "";

    [TableColumn(1, Width = 15)]
    public string SecretName { get; init; } = "";

    [TableColumn(2, Width = 10)]
    public DaprTokenSecretStatus Status { get; init; }

    /// <summary>The fingerprint of the token it holds; equal fingerprints mean equal tokens. Null when missing.</summary>
    [TableColumn(3, Width = 12)]
    public string? Fingerprint { get; init; }

    /// <summary>When its token last changed (recorded by Set-DaprTokenSecret, else the secret's creation time).</summary>
    [TableColumn(5, Wide = true)]
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The workloads whose pod templates name this secret, as "Deployment/orders".</summary>
    [TableColumn(4, Width = 24)]
    public DaprList<string> Consumers { get; init; } = Array.Empty<string>();

    /// <summary><see cref="Consumers"/> joined with ";", for Export-Csv.</summary>
    public string ConsumerList => string.Join(";", Consumers);

    /// <summary>How the consumers use it: App (dapr.io/app-token-secret), Api (dapr.io/api-token-secret), or both.</summary>
    public DaprList<DaprTokenKind> Kinds { get; init; } = Array.Empty<DaprTokenKind>();

    /// <summary><see cref="Kinds"/> joined with ";", for Export-Csv.</summary>
    public string KindList => string.Join(";", Kinds);

    /// <summary>True when the secret carries the label app.kubernetes.io/managed-by=DaprSecurity.</summary>
    public bool ManagedByDaprSecurity { get; init; }

    public override string ToString() => $"{Namespace}/{SecretName}";
}
