using System.Text.RegularExpressions;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>
/// Remove-Module disposes the engine's cluster clients. Runs alone: the clients are shared by every runspace of the
/// process, so removing the module would close those of tests running in parallel.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ModuleRemovalTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _cluster;

    public ModuleRemovalTests(ClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public void Removing_the_module_closes_its_clients_and_a_new_import_connects_afresh()
    {
        using var session = _cluster.NewSession();
        int Connection() => int.Parse(Regex.Match(
            string.Join("\n", session.Run("Get-DaprControlPlane -Verbose | Out-Null").ThrowOnError().Verbose),
            @"connection #(\d+)").Groups[1].Value);

        var first = Connection();
        var reused = Connection();
        session.Run($"Remove-Module DaprSecurity; Import-Module '{ModulePaths.Manifest}' -ErrorAction Stop").ThrowOnError();
        var afterReimport = Connection();

        Assert.Equal(first, reused);
        Assert.NotEqual(first, afterReimport);
    }
}
