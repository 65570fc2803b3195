using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>How the mTLS cmdlets find Dapr's control plane when it is missing, doubled or not listable.</summary>
public sealed class ControlPlaneDiscoveryTests
{
    [Fact]
    public async Task A_cluster_without_Dapr_is_a_clear_error()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        var error = Assert.Single(session.Run("Test-DaprMtls").AllErrors);

        Assert.StartsWith("DaprControlPlaneNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("-ControlPlaneNamespace", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public async Task Two_control_planes_must_be_told_apart_with_ControlPlaneNamespace()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr(new DaprSeedOptions { ControlPlaneNamespace = "dapr-blue", AppNamespaces = [] });
        server.SeedDapr(new DaprSeedOptions { ControlPlaneNamespace = "dapr-green", AppNamespaces = [] });
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);

        var error = Assert.Single(session.Run("Get-DaprCertificate").AllErrors);
        var green = session.Run("Get-DaprCertificate -ControlPlaneNamespace dapr-green").ThrowOnError().Output;

        Assert.StartsWith("DaprControlPlaneAmbiguous,", error.FullyQualifiedErrorId);
        Assert.Contains("dapr-blue, dapr-green", error.Exception.Message);
        Assert.All(green, c => Assert.Equal("dapr-green", c.Properties["Namespace"].Value));
    }

    [Fact]
    public async Task Without_permission_to_list_cluster_wide_the_error_says_to_name_the_namespace_and_naming_it_works()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new());
        server.SeedDapr(new DaprSeedOptions { AppNamespaces = [] });
        server.AddUser("ops", "ops-token", AccessRule.Forbid("list", "configurations"));
        var kubeConfig = server.WriteKubeconfig(Path.Combine(Path.GetDirectoryName(server.KubeconfigPath)!, "ops.yaml"), "ops");
        using var session = new PowerShellSession(kubeConfig: kubeConfig);

        var error = Assert.Single(session.Run("Get-DaprControlPlane").AllErrors);
        var named = session.Run("Get-DaprControlPlane -ControlPlaneNamespace dapr-system").ThrowOnError().Output;

        Assert.StartsWith("KubeApiForbidden,", error.FullyQualifiedErrorId);
        Assert.Contains("-ControlPlaneNamespace", error.ErrorDetails.RecommendedAction);
        Assert.Equal(5, named.Count);
    }
}
