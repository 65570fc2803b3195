namespace DaprSecurity.Abstractions;

/// <summary>Which cluster to talk to: an explicit kubeconfig file and/or context, or kubectl's defaults.</summary>
/// <param name="KubeConfig">A kubeconfig path; null means KUBECONFIG, then ~/.kube/config, then in-cluster.</param>
/// <param name="Context">A context name; null means the kubeconfig's current context.</param>
public sealed record ClusterTarget(string? KubeConfig, string? Context);
