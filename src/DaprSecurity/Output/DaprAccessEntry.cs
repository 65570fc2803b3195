using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>Whether one app can load one component, why, and what the app may do with it.</summary>
public sealed class DaprAccessEntry : DaprClusterObject
{
    [TableColumn(0, Width = 12)]
    public string Namespace { get; init; } = "";

    /// <summary>The app-id (dapr.io/app-id of a workload).</summary>
    [TableColumn(1, Width = 20)]
    public string AppId { get; init; } = "";

    /// <summary>The component's name.</summary>
    [TableColumn(2, Width = 16)]
    public string Component { get; init; } = "";

    /// <summary>The component's spec.type.</summary>
    public string ComponentType { get; init; } = "";

    /// <summary>True when the app's sidecar loads the component.</summary>
    [TableColumn(3, Width = 6)]
    public bool Access { get; init; }

    [TableColumn(4, Width = 21)]
    public DaprAccessReason Reason { get; init; }

    /// <summary>The rest of the least-privilege picture in words: topics for pub/sub, secrets for secret stores.</summary>
    [TableColumn(5, Wide = true)]
    public string Detail { get; init; } = "";

    /// <summary>For pub/sub components the app can load: the topics it may publish to.</summary>
    public DaprTopicAccess? Publish { get; init; }

    /// <summary>For pub/sub components the app can load: the topics it may subscribe to.</summary>
    public DaprTopicAccess? Subscribe { get; init; }

    /// <summary>For secret stores the app can load: the secrets its Configuration lets it read.</summary>
    public DaprSecretAccess? SecretAccess { get; init; }

    /// <summary>The app's Configuration (dapr.io/config); null when it has none.</summary>
    public string? Configuration { get; init; }

    /// <summary>Service invocation of this app: "allow" or "deny" by default, per its Configuration's access control ("allow" without one); null when the Configuration is missing.</summary>
    public string? InvocationDefaultAction { get; init; }

    /// <summary>Where the component comes from: "cluster" or "file:line".</summary>
    public string ComponentSource { get; init; } = "";

    public override string ToString() => $"{AppId} -> {Component}: {(Access ? "yes" : "no")} ({Reason})";
}
