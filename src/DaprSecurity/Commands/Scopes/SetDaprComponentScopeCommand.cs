using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Scopes;

/// <summary>Replaces the scopes of Dapr components, so that only the given apps can load them.</summary>
/// <remarks>
/// <para>Set-DaprComponentScope makes the top-level scopes list of each selected component exactly the given app-ids: only apps with those app-ids can load the component. It works in the cluster (optimistic concurrency: if someone else changes the component meanwhile, it re-reads it and re-applies its change, keeping theirs) or, with -Path, in manifest files, where only the scopes lines change and every other byte of the file stays as it was, so the Git diff shows just the scopes.</para>
/// <para>An empty -AppId list unscopes the component, which makes it visible to every app in its namespace; that needs -Force. App-ids must be valid on Kubernetes; an app-id that no Dapr workload in the namespace has is applied with a warning.</para>
/// <para>It asks ShouldProcess for every component, so -WhatIf shows each change and its current scopes. Use -PassThru to get the components back.</para>
/// </remarks>
/// <example>
/// <code>Set-DaprComponentScope -Name statestore -Namespace shop -AppId order-api, inventory-api</code>
/// <para>Lets only order-api and inventory-api load the statestore component of namespace shop.</para>
/// </example>
/// <example>
/// <code>Set-DaprComponentScope -Path ./deploy/components -Name pubsub -AppId order-api, notification-service -WhatIf</code>
/// <para>Shows which manifest would change and how, without writing it.</para>
/// </example>
/// <example>
/// <code>Get-DaprComponentScope -Namespace shop | Where-Object { -not $_.IsScoped } | Set-DaprComponentScope -AppId order-api -PassThru</code>
/// <para>Scopes every unscoped component of namespace shop to order-api and shows the result.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "DaprComponentScope", DefaultParameterSetName = ClusterSet, SupportsShouldProcess = true)]
[OutputType(typeof(DaprComponentScope))]
public sealed class SetDaprComponentScopeCommand : ScopeChangeCmdlet
{
    /// <summary>The complete list of app-ids that may load the components. An empty list (with -Force) removes the scopes.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(AppIdCompleter))]
    [AllowNull]
    [AllowEmptyString]
    [DaprInput(DaprInputKind.AppId)]
    public override string[] AppId { get; set; } = Array.Empty<string>();

    private protected override ScopeChangeKind Kind => ScopeChangeKind.Set;
}
