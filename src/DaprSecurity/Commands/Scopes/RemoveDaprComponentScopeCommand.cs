using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Scopes;

/// <summary>Removes app-ids from the scopes of Dapr components.</summary>
/// <remarks>
/// <para>Remove-DaprComponentScope takes the given app-ids out of the top-level scopes list of each selected component. Removing the last one would make the component visible to every app in its namespace, the opposite of what removing access means, so it is refused unless -Force is given.</para>
/// <para>In the cluster it uses optimistic concurrency: a concurrent change is re-read and kept, never overwritten. With -Path it edits manifest files, deleting exactly the removed entries' lines; every other byte stays as it was.</para>
/// <para>It asks ShouldProcess for every component; -PassThru returns them.</para>
/// </remarks>
/// <example>
/// <code>Remove-DaprComponentScope -Name statestore -Namespace shop -AppId notification-service</code>
/// <para>Stops notification-service from loading the statestore component.</para>
/// </example>
/// <example>
/// <code>Get-DaprComponentScope -Path ./deploy | Where-Object { $_.Scopes -contains 'legacy-api' } | Remove-DaprComponentScope -AppId legacy-api</code>
/// <para>Removes the retired legacy-api from every component in the manifests under ./deploy.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "DaprComponentScope", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true)]
[OutputType(typeof(DaprComponentScope))]
public sealed class RemoveDaprComponentScopeCommand : ScopeChangeCmdlet
{
    /// <summary>The app-ids to remove.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(AppIdCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.AppId)]
    public override string[] AppId { get; set; } = Array.Empty<string>();

    private protected override ScopeChangeKind Kind => ScopeChangeKind.Remove;
}
