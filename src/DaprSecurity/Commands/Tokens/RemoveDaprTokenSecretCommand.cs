using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Tokens;

/// <summary>Deletes a token secret from the selected namespaces, refusing while workloads still use it.</summary>
/// <remarks>
/// <para>Remove-DaprTokenSecret deletes the secret -SecretName (default app-api-token for -Kind App, dapr-api-token for -Kind Api) in each namespace -Namespace selects. A workload whose dapr.io/app-token-secret or dapr.io/api-token-secret annotation names a missing secret cannot start new pods (CreateContainerConfigError), so the secret is not removed from a namespace where a workload references it; -Force removes it anyway.</para>
/// <para>It asks for confirmation for every namespace (ConfirmImpact High); pass -Confirm:$false in scripts. A namespace named without wildcards that has no such secret is an error; namespaces matched by a wildcard that have none are skipped. Results from Get-DaprTokenSecret and Set-DaprTokenSecret -PassThru can be piped in.</para>
/// </remarks>
/// <example>
/// <code>Remove-DaprTokenSecret -Namespace prod-* -Kind Api</code>
/// <para>Removes the dapr-api-token secret from every prod-* namespace that has one, asking for each, unless a workload there still uses it.</para>
/// </example>
/// <example>
/// <code>Get-DaprTokenSecret | Where-Object Status -eq Unused | Remove-DaprTokenSecret -Confirm:$false -PassThru</code>
/// <para>Deletes every token secret no workload references, and lists what was removed.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "DaprTokenSecret", HelpUri = HelpLinks.Tokens, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = BySecretSet)]
[OutputType(typeof(DaprTokenSecretResult))]
public sealed class RemoveDaprTokenSecretCommand : DaprClusterCmdlet
{
    private const string ByNamespaceSet = "ByNamespace";

    // The default, so PowerShell tries a piped object as a secret before as a namespace (-Namespace refuses Secret items).
    private const string BySecretSet = "BySecret";

    private readonly PipelineBatches<(TargetCluster Cluster, DaprTokenKind Kind, string? SecretName), string> _batches = new();

    /// <summary>Token secrets from Get-DaprTokenSecret, or Secret items of kubectl get secret -o json | ConvertFrom-Json: each is removed from its own namespace, in the cluster it came from.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BySecretSet)]
    [KubeObjectTransformation(typeof(DaprTokenSecretInfo))]
    public DaprTokenSecretInfo? InputObject { get; set; }

    /// <summary>Namespaces to remove the secret from; wildcards allowed. Also taken from the pipeline like Set-DaprTokenSecret's.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation(Takes = new[] { "Secret" })]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Namespace { get; set; } = Array.Empty<string>();

    /// <summary>App or Api: picks the default secret name (app-api-token or dapr-api-token). Default: App.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DaprTokenKindTransformation]
    public DaprTokenKind? Kind { get; set; }

    /// <summary>The secret's name, when it is not the kind's default. With -InputObject, the piped secret's own name is used.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByNamespaceSet)]
    [ArgumentCompleter(typeof(TokenSecretNameCompleter))]
    [DaprInput(DaprInputKind.SecretName)]
    [KubeNameTransformation("Secret")]
    public string? SecretName { get; set; }

    /// <summary>Removes the secret even where workloads still reference it (their new pods will then fail to start).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emits one result per removed secret.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void Process()
    {
        if (InputObject is { } secret)
        {
            foreach (var cluster in Clusters(secret))
            {
                _batches.Add((cluster, Kind ?? DaprTokenKind.App, secret.SecretName), new[] { secret.Namespace });
            }

            return;
        }

        foreach (var cluster in Clusters())
        {
            _batches.Add((cluster, Kind ?? DaprTokenKind.App, SecretName), Namespace);
        }
    }

    private protected override void End()
        => RunInClusters(
            _batches.All,
            b => b.Key.Cluster,
            b => Streams.Where(Engine<ITokenSecretService>().RemoveAsync(b.Key.Cluster.Connection, new RemoveTokenSecretRequest(b.Key.Kind, b.Key.SecretName, b.Items, Force), EngineHost, EngineHost.CancellationToken), _ => PassThru.IsPresent),
            inParallel: false);
}
