using System.Diagnostics;
using System.Text;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>
/// A real pwsh process sent SIGTERM while the renewal's ConfigMap write is in flight (a hung request widens the window):
/// the bundle is left consistent, or Sentry's restart is refused and the recovery file restores it. Signals exist on
/// Linux and macOS only.
/// </summary>
public sealed class TrustBundleSignalTests : IAsyncLifetime, IDisposable
{
    private const string Ns = "dapr-system";
    private readonly string _dataHome = Directory.CreateTempSubdirectory("daprsec-signal-").FullName;
    private KubeApiServer.KubeApiServer _server = null!;
    private DaprSeedResult _seed = null!;

    private string Backups => Path.Combine(_dataHome, "DaprSecurity", "trust-bundle-backups");

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.KubeApiServer.StartAsync(new());
        _seed = _server.SeedDapr();
    }

    [Fact]
    public void SIGTERM_between_the_two_writes_puts_the_Secret_back_says_so_and_ends_the_process_as_SIGTERM_would()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var hang = HangConfigMapWrite();
        using var pwsh = new PwshProcess($"Update-DaprTrustBundle -KubeConfig '{_server.KubeconfigPath}' -Restart -Confirm:$false", _dataHome);

        var exitCode = Interrupt(pwsh, hang);

        Assert.Equal(143, exitCode);
        Assert.Contains("WARNING: Update-DaprTrustBundle was stopped.", pwsh.Output);
        Assert.Contains("SIGTERM came between the Secret and the ConfigMap writes: the Secret was put back as it was, so the trust bundle is unchanged.", pwsh.Output);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Issuer.PrivateKeyPem, SecretText("issuer.key"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
        Assert.Equal(0, _server.Requests.Count("patch", "deployments") + _server.Requests.Count("patch", "statefulsets"));
    }

    [Fact]
    public void SIGTERM_when_the_Secret_cannot_be_put_back_leaves_a_refusal_to_restart_Sentry_and_a_recovery_file_that_restores_the_bundle()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var hang = HangConfigMapWrite();
        var secretUpdates = 0;
        _server.Faults.Add(new FaultRule(FaultKind.Hang) { Verb = "update", Resource = "secrets", When = _ => Interlocked.Increment(ref secretUpdates) > 2 }); // the dry run and the write pass, putting it back hangs
        using (var renewal = new PwshProcess($"Update-DaprTrustBundle -KubeConfig '{_server.KubeconfigPath}' -Restart -Confirm:$false", _dataHome))
        {
            Assert.Equal(143, Interrupt(renewal, hang));
            Assert.Contains("putting the Secret back failed", renewal.Output);
            Assert.Contains("Do not restart Sentry.", renewal.Output);
        }

        _server.Faults.Reset();
        Assert.NotEqual(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
        var file = Assert.Single(Directory.GetFiles(Backups));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Backups));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        using (var restartOnly = new PwshProcess($"try {{ Update-DaprTrustBundle -KubeConfig '{_server.KubeconfigPath}' -RestartOnly -Confirm:$false -ErrorAction Stop }} catch {{ 'ID ' + $_.FullyQualifiedErrorId; $_.Exception.Message }}", _dataHome))
        {
            restartOnly.WaitForExit(TimeSpan.FromSeconds(120));
            Assert.Contains("ID TrustBundleInconsistent", restartOnly.Output);
            Assert.Contains($"The most recent recovery file is {file}.", restartOnly.Output);
        }

        Assert.Equal(0, _server.Requests.Count("patch", "deployments") + _server.Requests.Count("patch", "statefulsets"));
        using var session = new PowerShellSession(kubeConfig: _server.KubeconfigPath);
        session.Run("Update-DaprTrustBundle -RestoreFrom $f -BackupPath $d -Confirm:$false", new Dictionary<string, object?> { ["f"] = file, ["d"] = _dataHome }).ThrowOnError();
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Issuer.PrivateKeyPem, SecretText("issuer.key"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_dataHome, recursive: true);

    /// <summary>The ConfigMap's real write hangs (the first update is the dry run).</summary>
    private FaultRule HangConfigMapWrite()
    {
        var updates = 0;
        return _server.Faults.Add(new FaultRule(FaultKind.Hang) { Verb = "update", Resource = "configmaps", When = _ => Interlocked.Increment(ref updates) > 1 });
    }

    /// <summary>Sends SIGTERM once the ConfigMap write hangs; returns the exit code, which must come within seconds.</summary>
    private static int Interrupt(PwshProcess pwsh, FaultRule hang)
    {
        Assert.True(SpinWait.SpinUntil(() => hang.Fired > 0, TimeSpan.FromSeconds(120)), "The ConfigMap write never came:\n" + pwsh.Output);
        var clock = Stopwatch.StartNew();
        pwsh.Signal("TERM");
        var exitCode = pwsh.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"pwsh took {clock.Elapsed} to end after SIGTERM:\n{pwsh.Output}");
        return exitCode;
    }

    private string SecretText(string key) => TrustBundleManifests.SecretText(_server, Ns, key);

    private string? ConfigMapRoot() => TrustBundleManifests.ConfigMapRoot(_server, Ns);
}
