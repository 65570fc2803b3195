using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands.Mtls;

/// <summary>Shows the health and version of Dapr's control-plane services, like dapr status -k but as objects.</summary>
/// <remarks>
/// <para>Get-DaprControlPlane finds the namespace Dapr is installed in (it does not assume dapr-system) and returns one object per control-plane service, in the order they must be restarted after a trust-bundle change: Sentry, operator, placement, scheduler and sidecar injector. Each carries Name, Namespace, Healthy, Status (Running, or why not, such as Waiting (CrashLoopBackOff)), ReadyReplicas, DesiredReplicas, Version (the image tag) and Age (of its oldest pod).</para>
/// <para>A service the control plane lacks is still a row, with Healthy False and Status Not found (the scheduler is expected from Dapr 1.14 on).</para>
/// <para>Services are recognised by the dapr.io/control-plane pod annotation or the Helm chart's app label, so installs made with the dapr CLI, Helm or plain manifests all work.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprControlPlane</code>
/// <para>Lists the control-plane services of the current cluster.</para>
/// </example>
/// <example>
/// <code>Get-DaprControlPlane -Context prod-northeurope | Where-Object { -not $_.Healthy }</code>
/// <para>Shows only the services of the prod cluster that are not healthy.</para>
/// </example>
/// <example>
/// <code>Get-DaprControlPlane -ControlPlaneNamespace dapr-system | ForEach-Object { "$($_.Name) $($_.Version)" }</code>
/// <para>Prints the version of every service of the control plane in dapr-system. A namespace that does not exist or holds no control plane is the error DaprControlPlaneNotFound.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprControlPlane", HelpUri = HelpLinks.Certificates)]
[OutputType(typeof(DaprControlPlaneComponent))]
[ReadsClustersInParallel]
public sealed class GetDaprControlPlaneCommand : DaprControlPlaneCmdlet
{
    private protected override void Process() => CollectClusters();

    private protected override void End() => ReadCollectedClusters(c => RunEngine(() => Engine<IMtlsService>().GetControlPlaneAsync(c.Connection, ControlPlaneNamespace, EngineHost, EngineHost.CancellationToken)));
}
