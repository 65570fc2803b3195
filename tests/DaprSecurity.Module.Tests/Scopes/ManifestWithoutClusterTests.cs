using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Scopes;

/// <summary>Manifest work runs where there is no cluster at all, such as a pull-request pipeline.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ManifestWithoutClusterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("daprsec-nocluster-").FullName;
    private readonly PowerShellSession _session = new();

    [Fact]
    public void Every_scope_cmdlet_works_on_manifests_without_a_kubeconfig()
    {
        File.WriteAllText(Path.Combine(_folder, "shop.yaml"), ShopManifests.Workloads("shop") + "---\n" + ShopManifests.Components("shop"));
        var variables = new Dictionary<string, object?> { ["dir"] = _folder, ["missing"] = Path.Combine(_folder, "no-such-kubeconfig") };

        var manifests = _session.Run("""
            $env:KUBECONFIG = $missing
            try {
                Get-DaprComponentScope -Path $dir | Set-DaprComponentScope -AppId order-api -PassThru
                Get-DaprAccessMatrix -Path $dir -AppId inventory-api
            } finally { $env:KUBECONFIG = $null }
            """, variables).ThrowOnError();
        var cluster = _session.Run("$env:KUBECONFIG = $missing; try { Get-DaprComponentScope } finally { $env:KUBECONFIG = $null }", variables);

        Assert.Equal(4, manifests.Output.Count);
        Assert.All(manifests.Output.Skip(2), entry => Assert.Equal(false, entry.Properties["Access"].Value));
        Assert.StartsWith("KubeConfigNotFound,", Assert.Single(cluster.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_path_that_does_not_exist_is_an_error_for_that_path_only()
    {
        File.WriteAllText(Path.Combine(_folder, "shop.yaml"), ShopManifests.Components("shop"));
        var missing = Path.Combine(_folder, "nope");

        var result = _session.Run("Get-DaprComponentScope -Path $missing, $dir", new Dictionary<string, object?> { ["dir"] = _folder, ["missing"] = missing });

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("ManifestPathNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(missing, error.TargetObject);
        Assert.Equal(2, result.Output.Count);
    }

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
