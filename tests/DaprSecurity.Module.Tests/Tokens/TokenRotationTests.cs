using System.Management.Automation;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>The headline workflow: create a token, store it in every namespace, restart exactly the workloads that use it.</summary>
public sealed class TokenRotationTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public TokenRotationTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Fact]
    public async Task Rotation_pipeline_stores_the_token_everywhere_and_rolls_exactly_the_consumers_once()
    {
        DaprApps.Deploy(Server, "rot-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "rot-a", "audit");
        DaprApps.Deploy(Server, "rot-b", "cart", appTokenSecret: "app-api-token", apiTokenSecret: "dapr-api-token");
        DaprApps.Deploy(Server, "rot-b", "search", apiTokenSecret: "dapr-api-token");
        DaprApps.Secret(Server, "rot-b", "dapr-api-token", "api-token");
        DaprApps.Deploy(Server, "rot-c", "billing", appTokenSecret: "app-api-token");
        DaprApps.Secret(Server, "rot-c", "app-api-token", "old-token", "  labels: {team: billing}\n  annotations: {owner: billing-team}");
        DaprApps.Deploy(Server, "other-d", "shipping", appTokenSecret: "app-api-token");

        var result = _session.Run("$token = New-DaprAppToken; $token | Set-DaprTokenSecret -Namespace rot-* -PassThru | Restart-DaprDeployment -Wait -Timeout 30").ThrowOnError();
        var token = _session.Run("[System.Net.NetworkCredential]::new('', $token.Token).Password").ThrowOnError().Output.Single().ToString();

        var restarted = result.Output.Select(o => ($"{o.Properties["Namespace"].Value}/{o.Properties["Name"].Value}", o.Properties["Status"].Value.ToString()!)).OrderBy(x => x.Item1).ToList();
        Assert.Equal(new[] { ("rot-a/orders", "RolledOut"), ("rot-b/cart", "RolledOut"), ("rot-c/billing", "RolledOut") }, restarted);
        foreach (var ns in new[] { "rot-a", "rot-b", "rot-c" })
        {
            Assert.Equal(token, DaprApps.StoredToken(Server, ns, "app-api-token"));
            var stored = await Kubectl().SucceedAsync("get", "secret", "app-api-token", "-n", ns, "-o", "jsonpath={.data.token}");
            Assert.Equal(token, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(stored)));
        }

        Assert.Equal((2, 2, 2), (DaprApps.Generation(Server, "rot-a", "orders"), DaprApps.Generation(Server, "rot-b", "cart"), DaprApps.Generation(Server, "rot-c", "billing")));
        Assert.Equal((1, 1, 1), (DaprApps.Generation(Server, "rot-a", "audit"), DaprApps.Generation(Server, "rot-b", "search"), DaprApps.Generation(Server, "other-d", "shipping")));
        Assert.Null(DaprApps.StoredToken(Server, "other-d", "app-api-token"));
        var kept = Server.Get("", "v1", "secrets", "rot-c", "app-api-token")!["metadata"]!;
        Assert.Equal("billing", kept["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("billing-team", kept["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal("DaprSecurity", kept["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal(token.Length > 0 ? Fingerprint(token) : "", kept["annotations"]!["daprsecurity.io/token-fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public void Running_again_with_the_same_token_writes_nothing_and_restarts_nothing()
    {
        DaprApps.Deploy(Server, "again-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "again-b", "cart", appTokenSecret: "app-api-token");
        const string rotate = "$token | Set-DaprTokenSecret -Namespace again-* -PassThru | Restart-DaprDeployment -Wait -Timeout 30";
        _session.Run("$token = New-DaprAppToken -Format Opaque").ThrowOnError();
        var first = _session.Run($"{rotate} | ForEach-Object Status").ThrowOnError();
        var writes = Writes();

        var second = _session.Run("$token | Set-DaprTokenSecret -Namespace again-* -PassThru -OutVariable secrets | Restart-DaprDeployment -Wait -Timeout 30 | ForEach-Object Status").ThrowOnError();

        Assert.Equal(new[] { "RolledOut", "RolledOut" }, first.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { "UpToDate", "UpToDate" }, second.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { "Unchanged", "Unchanged" }, _session.Run("$secrets | ForEach-Object Action").ThrowOnError().Output.Select(o => o.ToString()));
        Assert.Equal(writes, Writes());
        Assert.Equal((2, 2), (DaprApps.Generation(Server, "again-a", "orders"), DaprApps.Generation(Server, "again-b", "cart")));
    }

    public void Dispose() => _session.Dispose();

    private int Writes() => Server.Requests.Count(r => r.Resource is "secrets" or "deployments" && r.Verb is "create" or "update" or "patch" && r.Namespace?.StartsWith("again-") == true);

    private Kubectl Kubectl() => new(_cluster.KubeConfig, Directory.CreateTempSubdirectory("kubectl-home-").FullName);

    private static string Fingerprint(string token)
        => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))[..12].ToLowerInvariant();
}
