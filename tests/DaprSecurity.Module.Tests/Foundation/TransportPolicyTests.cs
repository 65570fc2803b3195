using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>The transport promises of "Choosing the cluster": kubectl's TLS rules or stricter, never a credential over http://.</summary>
public sealed class TransportPolicyTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly KubeConfigFiles _files = new();

    public TransportPolicyTests(ClusterFixture cluster) => _cluster = cluster;

    private string AdminKubeConfig => File.ReadAllText(_cluster.KubeConfig);

    [Fact]
    public void Skipping_verification_next_to_a_CA_is_refused_before_any_request()
    {
        var path = _files.WriteRaw("skip-and-ca", Regex.Replace(AdminKubeConfig, "( +)certificate-authority-data: .*", m => m.Value + "\n" + m.Groups[1].Value + "insecure-skip-tls-verify: true"));
        using var session = new PowerShellSession();
        var before = _cluster.Server.Requests.Total;

        var result = session.Run("Get-DaprNamespace -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path });

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("ClusterTlsConfigInvalid,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("insecure-skip-tls-verify", error.Exception.Message);
        Assert.Equal(before, _cluster.Server.Requests.Total);
    }

    [Fact]
    public void Skipping_verification_alone_works_and_warns_once_per_command_naming_the_cluster()
    {
        var path = _files.WriteRaw("skip-only", Regex.Replace(AdminKubeConfig, "certificate-authority-data: .*", "insecure-skip-tls-verify: true"));
        using var session = new PowerShellSession();
        var variables = new Dictionary<string, object?> { ["path"] = path };

        var result = session.Run("Get-DaprNamespace -KubeConfig $path; Get-DaprDeployment -KubeConfig $path -Namespace *", variables).ThrowOnError();

        Assert.NotEmpty(result.Output);
        Assert.Equal(2, result.Warnings.Count);
        Assert.All(result.Warnings, w => Assert.Contains($"'kube-api-server' ({_cluster.Server.Url}) runs without TLS verification", w));
    }

    public static TheoryData<string, string> CredentialsOfEveryKind => new()
    {
        { "bearer token", "    token: plain-http-secret-token\n" },
        { "user name and password", "    username: admin\n    password: plain-http-secret-password\n" },
        { "client certificate", "    client-certificate-data: Zm9v\n    client-key-data: YmFy\n" },
        { "exec plugin's credential", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/echo\n      interactiveMode: Never\n" },
        { "auth provider's token", "    auth-provider:\n      name: oidc\n      config:\n        id-token: plain-http-secret-id-token\n        idp-issuer-url: https://issuer.example.invalid\n        client-id: x\n" },
    };

    [Theory]
    [MemberData(nameof(CredentialsOfEveryKind))]
    public void No_credential_of_any_kind_is_sent_over_plain_http(string kind, string userBlock)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var server = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            var path = _files.WriteRaw("plain-http", "apiVersion: v1\nkind: Config\ncurrent-context: plain\n"
                + $"clusters:\n- name: plain-cluster\n  cluster:\n    server: {server}\n"
                + "users:\n- name: plain-user\n  user:\n" + userBlock
                + "contexts:\n- name: plain\n  context:\n    cluster: plain-cluster\n    user: plain-user\n");
            using var session = new PowerShellSession();

            var result = session.Run("Get-DaprNamespace -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path });

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("ClusterCredentialsOverHttp,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains(kind, error.Exception.Message);
            Assert.Contains(server, error.Exception.Message);
            Assert.False(listener.Pending(), "a connection reached the plain-HTTP listener");
            Assert.DoesNotContain("plain-http-secret", result.AllText());
        }
        finally
        {
            listener.Stop();
        }
    }

    public void Dispose() => _files.Dispose();
}
