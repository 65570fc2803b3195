using System.Text;
using DaprSecurity.KubeApiServer.Dapr;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// Three in-memory API servers with Dapr installed, reachable through one kubeconfig with the contexts prod-east,
/// prod-west and stage (the current context), as a platform team's kubeconfig looks. Each server holds the same seed,
/// so only the cluster a command acted in shows the change.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    public static readonly string[] Contexts = { "prod-east", "prod-west", "stage" };

    private readonly KubeConfigFiles _files = new();

    /// <summary>The servers by context name.</summary>
    public Dictionary<string, KubeApiServer.KubeApiServer> Servers { get; } = new();

    /// <summary>The kubeconfig with every context; stage is current.</summary>
    public string KubeConfig { get; private set; } = "";

    /// <summary>A session whose DaprSecurity cmdlets default to the fleet's kubeconfig.</summary>
    public PowerShellSession NewSession() => new(kubeConfig: KubeConfig);

    public async Task InitializeAsync()
    {
        foreach (var context in Contexts)
        {
            var server = await KubeApiServer.KubeApiServer.StartAsync(new());
            server.SeedDapr(new DaprSeedOptions());
            Servers[context] = server;
        }

        KubeConfig = _files.WriteRaw("fleet.kubeconfig", Render());
    }

    /// <summary>Stops one server (its context stays in the kubeconfig), as when a cluster goes down.</summary>
    public async Task StopAsync(string context)
    {
        await Servers[context].DisposeAsync();
        Servers.Remove(context);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in Servers.Values)
        {
            await server.DisposeAsync();
        }

        _files.Dispose();
    }

    private string Render()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: Config\ncurrent-context: stage\nclusters:\n");
        foreach (var (context, server) in Servers)
        {
            text.Append($"- name: {context}-cluster\n  cluster:\n    server: {server.Url}\n    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(server.CertificateAuthorityPem))}\n");
        }

        text.Append("users:\n");
        foreach (var (context, server) in Servers)
        {
            text.Append($"- name: {context}-admin\n  user:\n    token: {server.AdminToken}\n");
        }

        text.Append("contexts:\n");
        foreach (var context in Servers.Keys)
        {
            text.Append($"- name: {context}\n  context:\n    cluster: {context}-cluster\n    user: {context}-admin\n    namespace: default\n");
        }

        return text.ToString();
    }
}
