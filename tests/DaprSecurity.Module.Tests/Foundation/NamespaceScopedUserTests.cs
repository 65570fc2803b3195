using System.Management.Automation;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>
/// Many users may work in their own namespaces but not list the cluster's namespaces. Like kubectl -n, the module then
/// takes exact namespace names on trust; only wildcards, which it cannot expand, are refused.
/// </summary>
public sealed class NamespaceScopedUserTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly KubeConfigFiles _files = new();
    private readonly PowerShellSession _session;

    public NamespaceScopedUserTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        cluster.Server.AddUser(
            "team-a-dev",
            "team-a-dev-token",
            AccessRule.Forbid("list,watch", "namespaces"),
            AccessRule.ForbidClusterWide("list,watch", "deployments,statefulsets,daemonsets,replicasets,pods,secrets,configmaps"));
        _session = new PowerShellSession(kubeConfig: cluster.Server.WriteKubeconfig(Path.Combine(_files.Directory, "team-a-dev"), "team-a-dev"));
    }

    [Fact]
    public void Exact_namespace_names_work_without_permission_to_list_namespaces()
    {
        var secrets = _session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace team-a -PassThru | ForEach-Object Namespace").ThrowOnError().Output;
        var workloads = _session.Run("Get-DaprDeployment -Namespace team-a | ForEach-Object Name").ThrowOnError().Output;

        Assert.Equal("team-a", Assert.Single(secrets).ToString());
        Assert.Equal("team-a", Assert.Single(workloads).ToString());
        Assert.NotNull(_cluster.Server.Get("", "v1", "secrets", "team-a", "app-api-token"));
    }

    [Fact]
    public void A_token_rotation_confined_to_the_users_namespace_restarts_its_workloads()
    {
        _session.Run("""
            New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace team-a | Out-Null
            Get-DaprDeployment -Namespace team-a | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token | Out-Null
            """).ThrowOnError();

        var rotated = _session.Run("New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace team-a -PassThru | Restart-DaprDeployment -Wait -Timeout 30 | ForEach-Object { \"$($_.Name)=$($_.Status)\" }")
            .ThrowOnError().Output;
        var direct = _session.Run("Restart-DaprDeployment -Namespace team-a | ForEach-Object Name").ThrowOnError().Output;

        Assert.Equal("team-a=RolledOut", Assert.Single(rotated).ToString());
        Assert.Equal("team-a", Assert.Single(direct).ToString());
    }

    [Fact]
    public void A_wildcard_is_refused_with_advice_when_namespaces_cannot_be_listed()
    {
        var result = _session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace team-* -PassThru");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("NamespaceListForbidden,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal("team-*", error.TargetObject);
        Assert.Contains("Name the namespaces exactly", error.ErrorDetails.RecommendedAction);
        Assert.Empty(result.Output);
    }

    public void Dispose()
    {
        _session.Dispose();
        _files.Dispose();
    }
}
