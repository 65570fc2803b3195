using DaprSecurity.KubeApiServer;
using DaprSecurity.KubeApiServer.Dapr;
using Xunit;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// One in-memory API server with Dapr installed (dapr-system control plane, trust bundle, app namespaces with
/// Dapr-enabled workloads and components), shared by the tests of a class. Tests that change cluster state should
/// work in namespaces of their own (<see cref="NewNamespace"/>) or use a fixture of their own.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private int _namespaces;

    public KubeApiServer.KubeApiServer Server { get; private set; } = null!;

    public DaprSeedResult Seed { get; private set; } = null!;

    /// <summary>The admin kubeconfig; pass it to -KubeConfig or to <see cref="PowerShellSession"/>.</summary>
    public string KubeConfig => Server.KubeconfigPath;

    /// <summary>Options for the server; override to add latency or a controller delay.</summary>
    protected virtual KubeApiServerOptions ServerOptions => new();

    /// <summary>Options for the Dapr seed; override to change the app namespaces or the certificates.</summary>
    protected virtual DaprSeedOptions SeedOptions => new();

    /// <summary>A session whose DaprSecurity cmdlets default to this cluster.</summary>
    public PowerShellSession NewSession() => new(kubeConfig: KubeConfig);

    /// <summary>Creates an empty namespace with a unique name, for a test that changes state.</summary>
    public string NewNamespace(string prefix = "test")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _namespaces)}";
        Server.Apply($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n");
        return name;
    }

    public async Task InitializeAsync()
    {
        Server = await KubeApiServer.KubeApiServer.StartAsync(ServerOptions);
        Seed = Server.SeedDapr(SeedOptions);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
