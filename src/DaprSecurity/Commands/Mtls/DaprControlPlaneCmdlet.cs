using System.Management.Automation;
using DaprSecurity.Completers;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Mtls;

/// <summary>Base of the cmdlets that work on Dapr's control plane: it adds -ControlPlaneNamespace.</summary>
public abstract class DaprControlPlaneCmdlet : DaprClusterCmdlet
{
    /// <summary>The namespace Dapr's control plane is installed in. By default it is found: the namespace of the daprsystem Configuration, or of the Sentry deployment (label app=dapr-sentry). Give it when you may not list objects in all namespaces, or when a cluster has several control planes.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [DaprInput(DaprInputKind.Namespace)]
    public string? ControlPlaneNamespace { get; set; }
}
