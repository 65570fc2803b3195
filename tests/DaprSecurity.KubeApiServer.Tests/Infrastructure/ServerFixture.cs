using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Security;
using k8s;

namespace DaprSecurity.KubeApiServer.Tests.Infrastructure;

/// <summary>
/// One server per test class, with Dapr seeded, a read-only-secrets user "reader", and ready clients: kubectl (admin and
/// reader) and KubernetesClient (admin and reader). Tests work in namespaces of their own, so they can share it.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string ReaderToken = "reader-token";

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("kubectl-home-");

    public KubeApiServer Server { get; private set; } = null!;

    public DaprSeedResult Seed { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public Kubectl ReaderKubectl { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public Kubernetes ReaderClient { get; private set; } = null!;

    public string ReaderKubeconfig { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await KubeApiServer.StartAsync(new KubeApiServerOptions { ControllerDelay = TimeSpan.FromMilliseconds(300) });
        Seed = Server.SeedDapr();
        Server.AddUser("reader", ReaderToken, AccessRule.Forbid("create,update,patch,delete,deletecollection", "secrets"));
        ReaderKubeconfig = Server.WriteKubeconfig(Path.Combine(_home.FullName, "reader.kubeconfig"), "reader");
        Kubectl = new Kubectl(Server.KubeconfigPath, _home.FullName);
        ReaderKubectl = new Kubectl(ReaderKubeconfig, _home.FullName);
        Client = ClientFor(Server.KubeconfigPath);
        ReaderClient = ClientFor(ReaderKubeconfig);
    }

    public static Kubernetes ClientFor(string kubeconfig) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    /// <summary>A fresh namespace for one test.</summary>
    public string CreateNamespace(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        Server.Apply($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n");
        return name;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        ReaderClient.Dispose();
        await Server.DisposeAsync();
        _home.Delete(recursive: true);
    }
}
