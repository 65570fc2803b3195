using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Workloads;

/// <summary>Sets the Dapr sidecar's token and API-exposure annotations on workload pod templates.</summary>
/// <remarks>
/// <para>Set-DaprSidecarAnnotation sets, on the pod template of each selected Dapr-enabled workload, dapr.io/app-token-secret (-AppTokenSecret), dapr.io/api-token-secret (-ApiTokenSecret), dapr.io/sidecar-listen-addresses (-ListenAddresses) and dapr.io/enable-api-logging (-EnableApiLogging). An empty string removes an annotation. Workloads come from the pipeline (Get-DaprDeployment) or from -Namespace and -Name.</para>
/// <para>The sidecar injector gives DAPR_API_TOKEN and APP_API_TOKEN to daprd only, never to your app. -MountTokenInApp also gives every app container the variables for the secrets the workload uses, as env entries with valueFrom.secretKeyRef (key "token"), the form SDKs read; the envFrom snippet in the Dapr docs would create a variable named "token" instead.</para>
/// <para>Changing the pod template rolls the workload's pods, which then read the new settings; workloads that already have every setting are left alone. A named secret must exist in the workload's namespace, or its new pods would fail with CreateContainerConfigError; -Force skips that check. Listen addresses of 0.0.0.0 or [::] expose the Dapr API to other pods and give a warning.</para>
/// </remarks>
/// <example>
/// <code>New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace prod-*; Get-DaprDeployment -Namespace prod-* | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -MountTokenInApp</code>
/// <para>Writes a Dapr API token into the dapr-api-token secret of every prod namespace, then makes every prod sidecar require it and gives the apps DAPR_API_TOKEN so they can call it.</para>
/// </example>
/// <example>
/// <code>Set-DaprSidecarAnnotation -Namespace shop -Name order-api -ListenAddresses '127.0.0.1' -EnableApiLogging $false -WhatIf</code>
/// <para>Shows how the pod template of order-api in namespace shop would change, without changing it.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "DaprSidecarAnnotation", HelpUri = HelpLinks.Workloads, SupportsShouldProcess = true, DefaultParameterSetName = ByWorkloadSet)]
[OutputType(typeof(DaprWorkloadInfo))]
public sealed class SetDaprSidecarAnnotationCommand : DaprClusterCmdlet
{
    private const string ByWorkloadSet = "ByWorkload";
    private const string ByNamespaceSet = "ByNamespace";

    private readonly WorkloadTargets _targets = new();

    /// <summary>Workloads from Get-DaprDeployment, or Deployment, StatefulSet and DaemonSet items of kubectl get -o json | ConvertFrom-Json.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByWorkloadSet)]
    [KubeObjectTransformation(typeof(DaprWorkloadInfo))]
    public DaprWorkloadInfo[] InputObject { get; set; } = Array.Empty<DaprWorkloadInfo>();

    /// <summary>Namespaces whose Dapr-enabled workloads to change; wildcards allowed. Also taken from the pipeline (strings, 'namespace/shop', Namespace properties, Namespace items of kubectl get -o json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation(Takes = new[] { "Workload" })]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Namespace { get; set; } = Array.Empty<string>();

    /// <summary>Only the workloads with these names; wildcards allowed. A name or wildcard that matches no Dapr workload is the error WorkloadNotFound. Default: all in the namespaces.</summary>
    [Parameter(ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorkloadNameCompleter))]
    [DaprInput(DaprInputKind.ObjectName, Wildcards = true)]
    [KubeNameTransformation("Workload")]
    public string[]? Name { get; set; }

    /// <summary>The secret daprd reads APP_API_TOKEN from (dapr.io/app-token-secret). An empty string removes the annotation.</summary>
    [Parameter]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(TokenSecretNameCompleter))]
    [DaprInput(DaprInputKind.SecretName, AllowEmpty = true)]
    public string? AppTokenSecret { get; set; }

    /// <summary>The secret daprd reads DAPR_API_TOKEN from (dapr.io/api-token-secret). An empty string removes the annotation.</summary>
    [Parameter]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(TokenSecretNameCompleter))]
    [DaprInput(DaprInputKind.SecretName, AllowEmpty = true)]
    public string? ApiTokenSecret { get; set; }

    /// <summary>dapr.io/sidecar-listen-addresses, e.g. '127.0.0.1' or '[::1],127.0.0.1' (Dapr's default). An empty string removes the annotation.</summary>
    [Parameter]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.ListenAddresses, AllowEmpty = true)]
    public string? ListenAddresses { get; set; }

    /// <summary>dapr.io/enable-api-logging: $true or $false.</summary>
    [Parameter]
    public bool? EnableApiLogging { get; set; }

    /// <summary>Also gives the app containers DAPR_API_TOKEN and/or APP_API_TOKEN from the token secrets, through env valueFrom.secretKeyRef.</summary>
    [Parameter]
    public SwitchParameter MountTokenInApp { get; set; }

    /// <summary>Names a secret even if it does not exist in the workload's namespace (yet).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emits each workload as it is after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void Process()
    {
        foreach (var workload in InputObject)
        {
            foreach (var cluster in Clusters(workload))
            {
                _targets.Add(cluster, new[] { workload }, Array.Empty<string>());
            }
        }

        if (Namespace.Length > 0)
        {
            foreach (var cluster in Clusters())
            {
                _targets.Add(cluster, Array.Empty<DaprWorkloadInfo>(), Namespace);
            }
        }
    }

    private protected override void End()
        => RunInClusters(
            _targets.Selections(Name),
            t => t.Cluster,
            t => Streams.Where(
                Engine<IWorkloadService>().SetSidecarAnnotationsAsync(t.Cluster.Connection, new SidecarAnnotationRequest(t.Selection, AppTokenSecret, ApiTokenSecret, ListenAddresses, EnableApiLogging, MountTokenInApp, Force), EngineHost, EngineHost.CancellationToken),
                _ => PassThru.IsPresent),
            inParallel: false);
}
