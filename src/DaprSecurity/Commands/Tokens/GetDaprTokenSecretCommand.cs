using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
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
[Cmdlet(VerbsCommon.Get, "DaprTokenSecret", HelpUri = HelpLinks.Tokens, DefaultParameterSetName = PipedSet)]
[OutputType(typeof(DaprTokenSecretInfo))]
public sealed class GetDaprTokenSecretCommand : DaprNamespaceReaderCmdlet
{
    /// <summary>Only the token secrets with these names; wildcards allowed. A name without wildcards that no selected namespace has (nor any workload references) is the error TokenSecretNotFound, and so is a wildcard that matches no token secret. Default: every token secret found.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TokenSecretNameCompleter))]
    [DaprInput(DaprInputKind.SecretName, Wildcards = true)]
    [KubeNameTransformation("Secret")]
    public string[]? Name { get; set; }

    /// <summary>Token secrets to read again: this cmdlet's output, or Secret items of kubectl get secret -o json | ConvertFrom-Json, each selecting itself (its namespace and name) instead of its namespace. One that does not exist is the error TokenSecretNotFound. With -Namespace or -Name on the command line, a piped secret they do not select is the error NamespaceConflict or NameConflict, and is not read.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = PipedSet)]
    [KubeObjectTransformation(typeof(DaprTokenSecretInfo), RefusesOtherKinds = true)]
    public DaprTokenSecretInfo[] InputObject { get; set; } = Array.Empty<DaprTokenSecretInfo>();

    private readonly PipedObjects<DaprTokenSecretInfo> _piped = new(s => (s.Namespace, s.SecretName));

    private protected override bool CollectPiped(TargetCluster cluster)
    {
        _piped.Add(cluster, SelectedByCommandLine(InputObject, s => (s.Namespace, s.SecretName), Name));
        return InputObject.Length > 0;
    }

    private protected override async IAsyncEnumerable<object> Read(TargetCluster cluster, IReadOnlyList<string> namespaces)
    {
        var piped = _piped.Select(
            cluster,
            (inNamespaces, names) => Engine<ITokenSecretService>().GetAsync(cluster.Connection, inNamespaces, names, EngineHost, EngineHost.CancellationToken),
            s => (s.Namespace, s.SecretName),
            absent => EngineHost.WriteError(DaprErrors.TokenSecretNotFound.Raise($"No token secret {absent.Namespace}/{absent.Name} in context '{cluster.Context}'.", $"{absent.Namespace}/{absent.Name}")));
        await foreach (var secret in piped.ConfigureAwait(false))
        {
            yield return secret;
        }

        if (namespaces.Count > 0)
        {
            await foreach (var secret in InNamespaces(cluster, namespaces).ConfigureAwait(false))
            {
                yield return secret;
            }
        }
    }

    private async IAsyncEnumerable<object> InNamespaces(TargetCluster cluster, IReadOnlyList<string> namespaces)
    {
        // Exact names are read by name; a wildcard filters every token secret found.
        var exact = Name is not null && !Name.Any(WildcardPattern.ContainsWildcardCharacters);
        var patterns = Name?.Select(n => (Name: n, Pattern: new WildcardPattern(n, WildcardOptions.IgnoreCase))).ToList();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var secret in Engine<ITokenSecretService>().GetAsync(cluster.Connection, namespaces, exact ? Name : null, EngineHost, EngineHost.CancellationToken).ConfigureAwait(false))
        {
            var hits = patterns?.Where(p => p.Pattern.IsMatch(secret.SecretName)).Select(p => p.Name).ToList();
            if (hits is null || hits.Count > 0)
            {
                matched.UnionWith(hits ?? new List<string>());
                yield return secret;
            }
        }

        foreach (var name in (Name ?? Array.Empty<string>()).Where(n => !matched.Contains(n)))
        {
            var what = WildcardPattern.ContainsWildcardCharacters(name) ? $"No token secret matches '{name}'" : $"No token secret named '{name}'";
            EngineHost.WriteError(DaprErrors.TokenSecretNotFound.Raise(
                $"{what} in the selected namespaces of context '{cluster.Context}'.",
                name,
                recommendedAction: "Run Get-DaprTokenSecret without -Name to see the token secrets."));
        }
    }
}
