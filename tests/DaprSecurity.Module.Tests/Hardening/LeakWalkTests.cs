using System.Text;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Hardening;

/// <summary>
/// Every cmdlet, on success and on its error paths (403 writes, an immutable Secret, a bad kubeconfig key): no secret
/// is reachable from anything it returns. The whole object graph of every output object, ErrorRecord, exception and
/// inner exception is walked for the token, the signing key, the seed's issuer and root keys, the kubeconfigs'
/// credentials, and any PEM private key at all.
/// </summary>
// Stays in xunit: it looks for the seed's own root private key (and hands it to Update-DaprTrustBundle -RootKeyPath),
// which lives only in the server's process: the cluster holds the root certificate, not its key, and no admin route
// returns it.
public sealed class LeakWalkTests : IClassFixture<LeakWalkTests.Cluster>
{
    private readonly Cluster _cluster;

    public LeakWalkTests(Cluster cluster) => _cluster = cluster;

    public static TheoryData<string> Scripts() => new()
    {
        "New-DaprAppToken -SigningKey $signingKey -Claim @{ env = 'leak' }",
        "New-DaprAppToken -SigningKey $signingKey -Claim @{ env = { 'script' } }",
        "Set-DaprTokenSecret -Token $t -Namespace prod-*, no-such-namespace -PassThru | Restart-DaprDeployment -Wait -Timeout 20",
        "Set-DaprTokenSecret -Token $t -Namespace prod-orders -KubeConfig $limited",
        "Set-DaprTokenSecret -Token $t -Namespace prod-orders -KubeConfig $badKey",
        "Get-DaprTokenSecret -Namespace *",
        "Remove-DaprTokenSecret -Namespace prod-orders -Kind App -Force -KubeConfig $limited",
        "$t | Set-DaprTokenEnvironment -Kind Api -Path (Join-Path $dir 'env/dapr.env') -PassThru",
        "$t | Test-DaprTokenEnforcement -Uri http://127.0.0.1:9/",
        "Get-DaprContext -KubeConfig $limited; Get-DaprContext -KubeConfig $badKey",
        "Get-DaprNamespace",
        "Get-DaprDeployment -Namespace *",
        "Get-DaprDeployment -Namespace prod-orders | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -KubeConfig $limited",
        "Restart-DaprDeployment -Namespace prod-orders -KubeConfig $limited",
        "Get-DaprControlPlane",
        "Test-DaprMtls",
        "Get-DaprCertificate",
        "Export-DaprTrustBundle -Path (Join-Path $dir 'bundle') -IncludePrivateKey -Force -PassThru",
        "Update-DaprTrustBundle -Confirm:$false -KubeConfig $limited",
        "Update-DaprTrustBundle -RootKeyPath $rootKey -Confirm:$false -KubeConfig $limited",
        "Get-DaprComponentScope -Namespace *",
        "Set-DaprComponentScope -Namespace prod-orders -Name statestore -AppId orders -KubeConfig $limited",
        "Add-DaprComponentScope -Namespace prod-orders -Name statestore -AppId other -KubeConfig $limited",
        "Remove-DaprComponentScope -Namespace prod-orders -Name statestore -AppId orders -KubeConfig $limited",
        "Get-DaprAccessMatrix -Namespace prod-orders",
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Nothing_reachable_from_the_output_or_the_errors_holds_a_secret(string script)
    {
        var result = _cluster.Run(script);

        _cluster.AssertNoSecret(result);
    }

    [Fact]
    public void A_trust_bundle_write_refused_by_an_immutable_Secret_leaves_no_key_in_the_error()
    {
        var original = _cluster.MakeTrustBundleSecretImmutable();
        try
        {
            var result = _cluster.Run("Update-DaprTrustBundle -Confirm:$false; $Error[0]");

            Assert.NotEmpty(result.AllErrors);
            _cluster.AssertNoSecret(result);
        }
        finally
        {
            _cluster.Restore(original);
        }
    }

    /// <summary>A seeded server with a user that may not write, and the secrets to look for.</summary>
    public sealed class Cluster : ClusterFixture, IAsyncLifetime
    {
        private readonly List<string> _secrets = new();
        private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-leak-").FullName;
        private PowerShellSession _session = null!;
        private Dictionary<string, object?> _variables = null!;

        public PowerShellResult Run(string script)
            => _session.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $signingKey = ConvertTo-SecureString $k -AsPlainText -Force\n" + script, _variables);

        public void AssertNoSecret(PowerShellResult result)
        {
            var strings = ObjectGraph.Strings(result.Output.Cast<object?>().Concat(result.AllErrors).Append(result.Terminating))
                .Concat(new[] { result.AllText() })
                .ToList();
            foreach (var secret in _secrets)
            {
                Assert.DoesNotContain(strings, s => s.Contains(secret, StringComparison.Ordinal));
            }
        }

        public JsonObject MakeTrustBundleSecretImmutable()
        {
            var secret = Server.Get("", "v1", "secrets", "dapr-system", "dapr-trust-bundle")!;
            var copy = Server.Get("", "v1", "secrets", "dapr-system", "dapr-trust-bundle")!;
            Server.Delete("", "v1", "secrets", "dapr-system", "dapr-trust-bundle");
            copy["immutable"] = true;
            Server.Apply(Clean(copy).ToJsonString());
            return secret;
        }

        public void Restore(JsonObject secret)
        {
            Server.Delete("", "v1", "secrets", "dapr-system", "dapr-trust-bundle");
            Server.Apply(Clean(secret).ToJsonString());
        }

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Server.AddUser("leak-reader", "leak-reader-bearer-token", AccessRule.Forbid("create,update,patch,delete", "secrets,configmaps,deployments,statefulsets,daemonsets,components"));
            var badKeyUser = Server.IssueClientCertificate("leak-badkey");
            var broken = badKeyUser.PrivateKeyPem.Replace("\n", "\n!!", StringComparison.Ordinal);
            var badKey = File.ReadAllText(Server.KubeconfigPath).Replace(
                $"    token: {Server.AdminToken}",
                $"    client-certificate-data: {Base64(badKeyUser.CertificatePem)}\n    client-key-data: {Base64(broken)}",
                StringComparison.Ordinal);
            var rootKey = Path.Combine(_directory, "root.key");
            File.WriteAllText(rootKey, Seed.Root.PrivateKeyPem);
            var token = "leak-walk-token-" + Guid.NewGuid().ToString("N");
            var signingKey = "leak-walk-signing-key-" + Guid.NewGuid().ToString("N");

            _variables = new()
            {
                ["t"] = token,
                ["k"] = signingKey,
                ["dir"] = _directory,
                ["rootKey"] = rootKey,
                ["limited"] = Server.WriteKubeconfig(Path.Combine(_directory, "limited.kubeconfig"), "leak-reader"),
                ["badKey"] = WriteFile("badkey.kubeconfig", badKey),
            };
            _secrets.AddRange(new[] { token, signingKey, Server.AdminToken, "leak-reader-bearer-token", "PRIVATE KEY" });
            _secrets.AddRange(new[] { token, signingKey }.Select(s => Base64(s)));
            foreach (var pem in new[] { Seed.Root.PrivateKeyPem, Seed.Issuer.PrivateKeyPem, badKeyUser.PrivateKeyPem })
            {
                _secrets.Add(pem.Split('\n')[1]);
                _secrets.Add(Base64(pem)[..40]);
            }

            foreach (var marker in new[] { "-----BEGIN EC PRIVATE KEY", "-----BEGIN PRIVATE KEY", "-----BEGIN RSA PRIVATE KEY" })
            {
                var bytes = Encoding.ASCII.GetBytes(marker);
                _secrets.Add(Convert.ToBase64String(bytes[..(bytes.Length / 3 * 3)]));
            }

            _session = NewSession();
        }

        public new async Task DisposeAsync()
        {
            _session.Dispose();
            Directory.Delete(_directory, recursive: true);
            await base.DisposeAsync();
        }

        private static JsonObject Clean(JsonObject resource)
        {
            var metadata = resource["metadata"]!.AsObject();
            foreach (var field in new[] { "resourceVersion", "uid", "creationTimestamp", "managedFields", "generation" })
            {
                metadata.Remove(field);
            }

            return resource;
        }

        private string WriteFile(string name, string text)
        {
            var path = Path.Combine(_directory, name);
            File.WriteAllText(path, text);
            return path;
        }

        private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }
}
