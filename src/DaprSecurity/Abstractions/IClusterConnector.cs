using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

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
