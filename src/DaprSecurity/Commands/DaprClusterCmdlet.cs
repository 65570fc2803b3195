using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of every cmdlet that talks to a cluster: the shared -Context and -KubeConfig parameters, resolved
/// once per invocation in Begin (never per pipeline object) to a connection that is reused across the session.
/// </summary>
public abstract class DaprClusterCmdlet : DaprCmdlet
{
    private readonly HashSet<int> _warnedConnections = new();
    private IClusterConnection? _cluster;

    /// <summary>The kubeconfig context to use. Defaults to the kubeconfig's current context. Tab completion lists the contexts of the selected kubeconfig.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(KubeContextCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>Path of a kubeconfig file. Defaults to the files in KUBECONFIG, then ~/.kube/config, then the pod's service account when running in a cluster. The file is only read, never rewritten.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>The connection resolved from -Context and -KubeConfig (on first use when Begin was overridden not to).</summary>
    private protected IClusterConnection Cluster => _cluster ??= Connect(Context);

    /// <summary>
    /// Resolves the cluster; derived cmdlets that override this must call it first, unless they can also work
    /// without a cluster (on manifest files) and therefore connect on first use of <see cref="Cluster"/>.
    /// </summary>
    private protected override void Begin() => _ = Cluster;

    /// <summary>The connection to <paramref name="context"/> (null: the current context) of the kubeconfig that -KubeConfig selects.</summary>
    private protected IClusterConnection Connect(string? context)
    {
        var cluster = Engine<IClusterConnector>().Connect(new ClusterTarget(ResolveKubeConfigPath(KubeConfig), context));
        EngineHost.WriteVerbose($"Using context '{cluster.ContextName}' at {cluster.Server} (connection #{cluster.Id}).");
        if (cluster.UnverifiedServerWarning is { } warning && _warnedConnections.Add(cluster.Id))
        {
            EngineHost.WriteWarning(warning);
        }

        return cluster;
    }

    /// <summary>Resolves a user-supplied path against PowerShell's current location, not the process directory.</summary>
    private protected string? ResolveKubeConfigPath(string? path)
        => path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
