using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Contexts;

/// <summary>Lists the contexts of your kubeconfig without contacting any cluster.</summary>
/// <remarks>
/// <para>Get-DaprContext reads the kubeconfig the way kubectl does (the files in KUBECONFIG, first definition wins, then ~/.kube/config) and returns one object per context: its cluster, API server, default namespace, user, the kind of credential the user carries (token, client certificate, exec plugin, auth provider such as OIDC) and whether it is the current context. Credentials themselves are never read out.</para>
/// <para>Use it to pick the value for the -Context parameter of the cluster cmdlets, or to check which cluster a script will talk to before it changes anything.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprContext</code>
/// <para>Lists every context of the default kubeconfig; the current one has IsCurrent set.</para>
/// </example>
/// <example>
/// <code>Get-DaprContext -Name prod-* -KubeConfig ./clusters.yaml | ForEach-Object { $_.Server }</code>
/// <para>Shows the API server of every context whose name starts with prod- in a given kubeconfig file.</para>
/// </example>
/// <example>
/// <code>Get-DaprContext -Current</code>
/// <para>Shows only the current context, the one every cluster cmdlet uses when -Context is not given.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprContext", HelpUri = HelpLinks.Contexts, DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(DaprContextInfo))]
public sealed class GetDaprContextCommand : DaprCmdlet
{
    private const string ByNameSet = "ByName";
    private const string CurrentSet = "Current";

    private IReadOnlyList<DaprContextInfo> _contexts = Array.Empty<DaprContextInfo>();

    /// <summary>Names of the contexts to return. Wildcards are allowed; a name without wildcards that matches no context is the error KubeContextNotFound, a wildcard that matches none KubeContextNotMatched.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(KubeContextCompleter))]
    [ValidateNotNullOrEmpty]
    [DaprInput(DaprInputKind.Pattern)]
    public string[]? Name { get; set; }

    /// <summary>Returns only the current context.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CurrentSet)]
    public SwitchParameter Current { get; set; }

    /// <summary>Path of a kubeconfig file. Defaults to the files in KUBECONFIG, then ~/.kube/config.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    private protected override void Begin()
    {
        var path = KubeConfig is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KubeConfig);
        _contexts = Engine<IClusterConnector>().GetContexts(path);
        if (_contexts.Count == 0 && path is null)
        {
            // kubectl lists nothing in silence here; say why, since every cluster cmdlet would then fail (KubeConfigNotFound).
            WriteWarning("No kubeconfig context found: KUBECONFIG is not set and ~/.kube/config does not exist or defines none. Pass -KubeConfig or set KUBECONFIG (inside a pod the cluster cmdlets use its service account without one).");
        }
    }

    private protected override void Process()
    {
        if (Current)
        {
            WriteResults(_contexts.Where(c => c.IsCurrent));
            return;
        }

        if (Name is null)
        {
            WriteResults(_contexts);
            return;
        }

        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = _contexts.Where(c => pattern.IsMatch(c.Name)).ToList();
            if (matches.Count == 0)
            {
                WriteError(WildcardPattern.ContainsWildcardCharacters(name)
                    ? DaprErrors.KubeContextNotMatched.Raise($"No context of the kubeconfig matches '{name}'.", name)
                    : DaprErrors.KubeContextNotFound.Raise($"The kubeconfig has no context named '{name}'.", name));
            }

            WriteResults(matches);
        }
    }
}
