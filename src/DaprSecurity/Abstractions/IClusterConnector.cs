using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>Which cluster to talk to: an explicit kubeconfig file and/or context, or kubectl's defaults.</summary>
/// <param name="KubeConfig">A kubeconfig path; null means KUBECONFIG, then ~/.kube/config, then in-cluster.</param>
/// <param name="Context">A context name; null means the kubeconfig's current context.</param>
public sealed record ClusterTarget(string? KubeConfig, string? Context);

/// <summary>An open connection to one cluster. Opaque to cmdlets; engine services use the client behind it.</summary>
public interface IClusterConnection
{
    /// <summary>The context in use; "(in-cluster)" for a pod's service account.</summary>
    string ContextName { get; }

    /// <summary>The API server URL.</summary>
    string Server { get; }

    /// <summary>The context's namespace, or "default".</summary>
    string DefaultNamespace { get; }

    /// <summary>A number unique to this connection in the session (diagnostics: a reused connection keeps its number).</summary>
    int Id { get; }

    /// <summary>Null when the server is verified; otherwise a sentence naming the cluster and why it is not (cmdlets warn with it).</summary>
    string? UnverifiedServerWarning { get; }
}

/// <summary>Reads kubeconfig files and opens cluster connections (implemented by the engine).</summary>
public interface IClusterConnector
{
    /// <summary>
    /// Returns the connection for <paramref name="target"/>, reusing the one already built in this session for the
    /// same kubeconfig files and context while the kubeconfig defines that context the same way (a replaced
    /// connection is disposed). Does not contact the server.
    /// </summary>
    IClusterConnection Connect(ClusterTarget target);

    /// <summary>Lists the contexts of the kubeconfig that <paramref name="kubeConfig"/> selects, without contacting any cluster.</summary>
    IReadOnlyList<DaprContextInfo> GetContexts(string? kubeConfig);
}
