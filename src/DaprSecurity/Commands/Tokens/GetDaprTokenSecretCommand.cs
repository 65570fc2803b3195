using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Tokens;

/// <summary>Shows the token secrets of each namespace: which token they hold, who uses them, and references to secrets that do not exist.</summary>
/// <remarks>
/// <para>For every selected namespace Get-DaprTokenSecret reports each token secret that a workload's dapr.io/app-token-secret or dapr.io/api-token-secret annotation names, each secret called app-api-token or dapr-api-token, and each secret Set-DaprTokenSecret manages. Fingerprint is the first 12 hex characters of the SHA-256 of the stored token: equal fingerprints mean equal tokens, so namespaces left on an old token stand out. Consumers lists the workloads that use the secret; Kinds shows whether they read it as the app token, the API token, or both.</para>
/// <para>Status is InUse, Unused, Dangling (a workload names a secret that does not exist, so its pods fail with CreateContainerConfigError), MissingKey (the secret has no "token" key, with the same result) or Malformed (the token has whitespace or control characters, often a trailing newline, so it never matches). Dangling references also produce a warning.</para>
/// <para>The token values never leave the cluster; only fingerprints are shown. Secrets are read with one cluster-wide list per secret name (or one read per namespace for a few namespaces), never one list per namespace.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprTokenSecret | Where-Object Status -ne InUse</code>
/// <para>Finds dangling references, broken secrets and unused secrets in every namespace.</para>
/// </example>
/// <example>
/// <code>Get-DaprTokenSecret -Namespace prod-* -Name app-api-token | Group-Object Fingerprint</code>
/// <para>Shows how many prod namespaces hold each app token: after a complete rotation there is one group.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprTokenSecret")]
[OutputType(typeof(DaprTokenSecretInfo))]
public sealed class GetDaprTokenSecretCommand : DaprNamespaceReaderCmdlet
{
    /// <summary>Only these secret names (exact names). Default: every token secret found.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TokenSecretNameCompleter))]
    [DaprInput(DaprInputKind.SecretName, Wildcards = true)]
    public string[]? Name { get; set; }

    private protected override IEnumerable<object> Read(TargetCluster cluster, IReadOnlyList<string> namespaces)
        => Engine<ITokenSecretService>().Get(cluster.Connection, namespaces, Name, EngineHost);
}
