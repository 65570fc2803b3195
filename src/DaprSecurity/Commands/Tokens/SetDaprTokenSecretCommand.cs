using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Tokens;

/// <summary>Stores a Dapr token in the token secret of every selected namespace, creating or updating it.</summary>
/// <remarks>
/// <para>Dapr reads a token from a Kubernetes secret in the pod's own namespace (key "token", the only key it reads), so a token must be copied into every namespace whose workloads use it. Set-DaprTokenSecret writes -Token into the secret -SecretName (default app-api-token for -Kind App, dapr-api-token for -Kind Api) of each namespace that -Namespace selects. -Kind defaults to the token object's kind.</para>
/// <para>A missing secret is created (type Opaque). An existing one is updated with its other keys, labels and annotations kept; if it already holds this token nothing is written and the Action is Unchanged. Each write records the token's fingerprint and the time in the annotations daprsecurity.io/token-fingerprint and daprsecurity.io/token-updated-at and sets the label app.kubernetes.io/managed-by=DaprSecurity; Restart-DaprDeployment uses the time to restart only workloads whose pods are older than the token.</para>
/// <para>-Namespace takes names and wildcards, and is also bound from the pipeline: strings, objects with a Name or Namespace property (Get-DaprNamespace, Get-DaprDeployment), and Kubernetes objects with metadata.name (kubectl get ns -o json | ConvertFrom-Json). All namespaces are listed once; writes then run in parallel (-ThrottleLimit) and each result is emitted (-PassThru) as soon as its write completes. Busy or flaky API servers are retried, and a write that meets a concurrent change reads the secret again, so running the command again after a failure finishes the remaining namespaces.</para>
/// <para>A name that matches no namespace, a wildcard that matches nothing, or a write the cluster forbids is an error for that namespace only; the others proceed. The token appears only in the secret: messages, WhatIf text and errors name it by fingerprint.</para>
/// </remarks>
/// <example>
/// <code>New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-* -PassThru | Restart-DaprDeployment -Wait</code>
/// <para>Rotates the app token of every prod-* namespace and restarts the workloads that use it, one namespace at a time, stopping if a rollout fails.</para>
/// </example>
/// <example>
/// <code>Get-DaprNamespace prod-* | Set-DaprTokenSecret -Token (New-DaprAppToken -Kind Api) -WhatIf</code>
/// <para>Shows which dapr-api-token secrets would be written, without writing any.</para>
/// </example>
/// <example>
/// <code>(kubectl get ns -l tier=backend -o json | ConvertFrom-Json).items | Set-DaprTokenSecret -Token (New-DaprAppToken) -SecretName orders-app-token -PassThru</code>
/// <para>Stores the token in a custom-named secret of every namespace kubectl selects by label.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "DaprTokenSecret", HelpUri = HelpLinks.Tokens, SupportsShouldProcess = true, DefaultParameterSetName = BySecretSet)]
[OutputType(typeof(DaprTokenSecretResult))]
public sealed class SetDaprTokenSecretCommand : DaprClusterCmdlet
{
    private const string ByNamespaceSet = "ByNamespace";

    // The default, so PowerShell tries a piped object as a secret before as a namespace (-Namespace refuses Secret items).
    private const string BySecretSet = "BySecret";

    private readonly PipelineBatches<(TargetCluster Cluster, DaprToken Token, DaprTokenKind Kind, string? SecretName), string> _batches = new();

    /// <summary>The token: a token object from New-DaprAppToken (also from the pipeline), a SecureString, or a string. Give strings and SecureStrings with -Token: on the pipeline a string is a namespace name.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DaprTokenTransformation]
    [DaprInput(DaprInputKind.Token)]
    public DaprToken Token { get; set; } = null!;

    /// <summary>Token secrets to write the token into, each in its own namespace and cluster: Get-DaprTokenSecret output, or Secret items of kubectl get secret -o json | ConvertFrom-Json.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BySecretSet)]
    [KubeObjectTransformation(typeof(DaprTokenSecretInfo))]
    public DaprTokenSecretInfo? InputObject { get; set; }

    /// <summary>Namespaces to write to; wildcards allowed. Also taken from the pipeline (strings, 'namespace/shop' from kubectl get -o name, Name/Namespace properties, Namespace items of kubectl get -o json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNamespaceSet)]
    [SupportsWildcards]
    [NamespaceNameTransformation(Takes = new[] { "Secret" })]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[] Namespace { get; set; } = Array.Empty<string>();

    /// <summary>App (the secret named in dapr.io/app-token-secret) or Api (dapr.io/api-token-secret). Default: the token object's kind, App for a string or SecureString.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DaprTokenKindTransformation]
    public DaprTokenKind? Kind { get; set; }

    /// <summary>The secret's name. Default: app-api-token for App, dapr-api-token for Api. With -InputObject, the piped secret's own name is used.</summary>
    [Parameter(ParameterSetName = ByNamespaceSet)]
    [ArgumentCompleter(typeof(TokenSecretNameCompleter))]
    [DaprInput(DaprInputKind.SecretName)]
    [KubeNameTransformation("Secret")]
    public string? SecretName { get; set; }

    /// <summary>How many namespaces are written at the same time. Default: 8.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>Emits one result per namespace (Namespace, SecretName, Kind, Fingerprint, Action, UpdatedAt), ready for Restart-DaprDeployment.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Collects the namespaces of all pipeline objects so they are resolved with a single namespace list.</summary>
    private protected override void Process()
    {
        if (InputObject is { } secret)
        {
            foreach (var cluster in Clusters(secret))
            {
                _batches.Add((cluster, Token, Kind ?? Token.Kind, secret.SecretName), new[] { secret.Namespace });
            }

            return;
        }

        foreach (var cluster in Clusters())
        {
            _batches.Add((cluster, Token, Kind ?? Token.Kind, SecretName), Namespace);
        }
    }

    /// <summary>Writes one cluster after the other, so a bad token stops at the first cluster it breaks.</summary>
    private protected override void End()
        => RunInClusters(
            _batches.All,
            b => b.Key.Cluster,
            b => Streams.Where(Engine<ITokenSecretService>().SetAsync(b.Key.Cluster.Connection, new SetTokenSecretRequest(b.Key.Token, b.Key.Kind, b.Key.SecretName, b.Items, ThrottleLimit), EngineHost, EngineHost.CancellationToken), _ => PassThru.IsPresent),
            inParallel: false);
}
