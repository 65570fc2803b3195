namespace DaprSecurity.Abstractions;

/// <summary>What part of a cluster to audit.</summary>
/// <param name="Namespaces">Names or wildcards; "*" (the default) is every namespace.</param>
/// <param name="ControlPlaneNamespace">Null to discover the control plane.</param>
public sealed record ClusterAuditTarget(IReadOnlyList<string> Namespaces, string? ControlPlaneNamespace);
