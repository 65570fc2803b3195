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

    /// <summary>The connection resolved from -Context and -KubeConfig.</summary>
    private protected IClusterConnection Cluster => _cluster ?? throw new InvalidOperationException("The cluster is resolved in Begin().");

    /// <summary>Resolves the cluster; derived cmdlets that override this must call it first.</summary>
    private protected override void Begin()
    {
        _cluster = Engine<IClusterConnector>().Connect(new ClusterTarget(ResolveKubeConfigPath(KubeConfig), Context));
        EngineHost.WriteVerbose($"Using context '{_cluster.ContextName}' at {_cluster.Server} (connection #{_cluster.Id}).");
    }

    /// <summary>Resolves a user-supplied path against PowerShell's current location, not the process directory.</summary>
    private protected string? ResolveKubeConfigPath(string? path)
        => path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
