using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

// Stays in xunit for its Ctrl+C case: the pipeline is stopped (PowerShell.Stop) the moment the in-process Hang rule has fired.
/// <summary>What every cluster cmdlet inherits: kubeconfig and context resolution, TLS, clear connection errors, client reuse, Ctrl+C.</summary>
public sealed class ClusterConnectionTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly KubeConfigFiles _files = new();

    public ClusterConnectionTests(ClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public void A_server_certificate_from_another_CA_is_refused_with_one_clear_error()
    {
        using var otherCa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = new CertificateRequest("CN=someone else's CA", otherCa, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var kubeconfig = Regex.Replace(File.ReadAllText(_cluster.KubeConfig), "certificate-authority-data: .*", "certificate-authority-data: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(foreign.ExportCertificatePem())));
        var path = _files.WriteRaw("foreign-ca", kubeconfig);
        using var session = new PowerShellSession();

        var result = session.Run("Get-DaprControlPlane -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path });

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("ClusterTlsFailure,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains(_cluster.Server.Url, error.Exception.Message);
        Assert.DoesNotContain("   at ", error.ToString());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void An_unreachable_server_is_one_clear_error_naming_it()
    {
        var closedPort = ClosedLoopbackPort();
        var kubeconfig = File.ReadAllText(_cluster.KubeConfig).Replace(_cluster.Server.Url, $"https://127.0.0.1:{closedPort}");
        var path = _files.WriteRaw("closed-port", kubeconfig);
        using var session = new PowerShellSession();

        var result = session.Run("Get-DaprControlPlane -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path });

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("ClusterUnreachable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"https://127.0.0.1:{closedPort}", error.Exception.Message);
    }

    [Fact]
    public void An_unknown_context_is_a_clear_error()
    {
        using var session = _cluster.NewSession();

        var error = Assert.Single(session.Run("Get-DaprControlPlane -Context no-such-context").AllErrors);

        Assert.StartsWith("KubeContextNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("no-such-context", error.TargetObject);
    }

    [Fact]
    public void The_client_is_reused_across_invocations_until_its_context_changes_in_the_kubeconfig()
    {
        var text = File.ReadAllText(_cluster.KubeConfig);
        var path = _files.WriteRaw("reuse", text);
        using var session = new PowerShellSession();
        var variables = new Dictionary<string, object?> { ["path"] = path };
        int Connection() => int.Parse(Regex.Match(
            string.Join("\n", session.Run("Get-DaprControlPlane -KubeConfig $path -Verbose | Out-Null", variables).ThrowOnError().Verbose),
            @"connection #(\d+)").Groups[1].Value);

        var first = Connection();
        var second = Connection();
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var afterTouch = Connection();
        _files.WriteRaw("reuse", Regex.Replace(text, "namespace: .*", "namespace: dapr-system"));
        var afterEdit = Connection();

        Assert.Equal(first, second);
        Assert.Equal(first, afterTouch);
        Assert.NotEqual(first, afterEdit);
    }

    [Fact]
    public void Ctrl_C_stops_a_command_waiting_on_a_hung_server()
    {
        var hang = new FaultRule(FaultKind.Hang) { Resource = "deployments" };
        _cluster.Server.Faults.Add(hang);
        try
        {
            using var session = _cluster.NewSession();
            var clock = Stopwatch.StartNew();

            var stopped = session.RunAndStop("Get-DaprControlPlane", until: () => hang.Fired > 0);

            Assert.IsAssignableFrom<PipelineStoppedException>(stopped);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"stopping took {clock.Elapsed}");
        }
        finally
        {
            _cluster.Server.Faults.Reset();
        }
    }

    public void Dispose() => _files.Dispose();

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
