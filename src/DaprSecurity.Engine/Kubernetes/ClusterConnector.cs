using System.Collections.Concurrent;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using k8s;
using k8s.Exceptions;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Opens cluster connections the way kubectl resolves them, and keeps one client per kubeconfig files (as they
/// are on disk now) and context for the whole PowerShell session: building a client costs ~0.3 s cold.
/// </summary>
public sealed class ClusterConnector : IClusterConnector
{
    private const string InClusterName = "(in-cluster)";
    private static readonly ConcurrentDictionary<string, ClusterConnection> s_connections = new();

    /// <inheritdoc />
    public IClusterConnection Connect(ClusterTarget target)
    {
        var files = KubeConfigFiles.Resolve(target.KubeConfig);
        if (files.Count == 0)
        {
            return ConnectInCluster(target.Context);
        }

        var key = string.Join("|", files.Select(f => $"{f.FullName}@{f.LastWriteTimeUtc.Ticks}")) + "#" + target.Context;
        return s_connections.GetOrAdd(key, _ => Build(KubeConfigSet.Load(files), target.Context));
    }

    /// <inheritdoc />
    public IReadOnlyList<DaprContextInfo> GetContexts(string? kubeConfig)
    {
        var files = KubeConfigFiles.Resolve(kubeConfig);
        return files.Count == 0 ? Array.Empty<DaprContextInfo>() : KubeConfigSet.Load(files).Contexts();
    }

    private static ClusterConnection Build(KubeConfigSet set, string? context)
    {
        var contextName = context ?? set.Merged.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            throw DaprErrors.KubeContextNotSet.Raise("The kubeconfig has no current-context; pass -Context.", null, recommendedAction: "Run Get-DaprContext to see the available contexts.");
        }

        if (set.Merged.Contexts?.Any(c => c.Name == contextName) != true)
        {
            throw DaprErrors.KubeContextNotFound.Raise($"The kubeconfig has no context named '{contextName}'.", contextName, recommendedAction: "Run Get-DaprContext to see the available contexts.");
        }

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(set.Merged, contextName);
        }
        catch (KubeConfigException e)
        {
            throw DaprErrors.KubeConfigInvalid.Raise($"Context '{contextName}' cannot be used: {e.Message}", contextName, e);
        }

        return new ClusterConnection(contextName, configuration);
    }

    private static ClusterConnection ConnectInCluster(string? context)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw DaprErrors.KubeConfigNotFound.Raise("No kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod with a service account.",
                null,
                recommendedAction: "Pass -KubeConfig, set KUBECONFIG, or create ~/.kube/config.");
        }

        if (context is not null)
        {
            throw DaprErrors.KubeContextNotFound.Raise($"In-cluster configuration has no context named '{context}'.", context);
        }

        return s_connections.GetOrAdd(InClusterName, _ => new ClusterConnection(InClusterName, KubernetesClientConfiguration.InClusterConfig()));
    }
}
