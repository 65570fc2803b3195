using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands;

/// <summary>One cluster a command acts in: the connection, and the -KubeConfig path it was reached through (null: the default kubeconfig).</summary>
internal sealed record TargetCluster(IClusterConnection Connection, string? KubeConfig)
{
    public string Context => Connection.ContextName;

    /// <summary>Marks a result as belonging to this cluster, so the next cmdlet in the pipeline acts there too.</summary>
    public T Stamp<T>(T result)
    {
        if ((result is PSObject wrapped ? wrapped.BaseObject : result) is DaprClusterObject clusterObject)
        {
            clusterObject.From(Context, KubeConfig);
        }

        return result;
    }

    /// <summary>The same error, its message prefixed with the context, for a command that works in several clusters.</summary>
    public DaprSecurityException Named(DaprSecurityException error)
        => error.Error.Raise($"[{Context}] {error.Message}", error.TargetObject ?? Context, error, error.RecommendedAction);
}
