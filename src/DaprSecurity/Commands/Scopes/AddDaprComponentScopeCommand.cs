using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Scopes;

/// <summary>Adds app-ids to the scopes of Dapr components.</summary>
/// <remarks>
/// <para>Add-DaprComponentScope appends the given app-ids to the top-level scopes list of each selected component, leaving the app-ids already there. Adding a scope to an unscoped component restricts it: afterwards only the listed apps can load it, and -WhatIf says so.</para>
/// <para>In the cluster it uses optimistic concurrency: a concurrent change is re-read and kept, never overwritten. With -Path it edits manifest files: only the new scopes lines are added (in the list's indentation and quoting, or as a new scopes key at the end of the document), so reviewers see exactly that in the diff.</para>
/// <para>App-ids must be valid on Kubernetes; an app-id that no Dapr workload in the namespace has is added with a warning. It asks ShouldProcess for every component; -PassThru returns them.</para>
/// </remarks>
/// <example>
/// <code>Add-DaprComponentScope -Name statestore -Namespace shop -AppId inventory-api</code>
/// <para>Lets inventory-api load the statestore component too.</para>
/// </example>
/// <example>
/// <code>Add-DaprComponentScope -Path ./deploy -Name pubsub -AppId notification-service -PassThru</code>
/// <para>Adds notification-service to the scopes of the pubsub component in the manifests under ./deploy and shows the result.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "DaprComponentScope", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true)]
[OutputType(typeof(DaprComponentScope))]
public sealed class AddDaprComponentScopeCommand : ScopeChangeCmdlet
{
    /// <summary>The app-ids to add.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(AppIdCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.AppId)]
    public override string[] AppId { get; set; } = Array.Empty<string>();

    private protected override ScopeChangeKind Kind => ScopeChangeKind.Add;
}
