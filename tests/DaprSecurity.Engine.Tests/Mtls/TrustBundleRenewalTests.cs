using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.KubeApiServer.Faults;
using Xunit;

namespace DaprSecurity.Engine.Tests.Mtls;

/// <summary>Confirmation of the renewal's steps, which the hosted PowerShell tests cannot answer interactively.</summary>
public sealed class TrustBundleRenewalTests : IAsyncLifetime
{
    private KubeApiServer.KubeApiServer _server = null!;
    private IClusterConnection _cluster = null!;
    private readonly DirectoryInfo _backups = Directory.CreateTempSubdirectory("daprsec-backups-");

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.KubeApiServer.StartAsync(new());
        _server.SeedDapr();
        _cluster = new ClusterConnector(TimeProvider.System).Connect(new ClusterTarget(_server.KubeconfigPath, null));
    }

    [Fact]
    public async Task Every_step_is_asked_before_any_runs_and_declining_the_restarts_keeps_the_written_bundle_without_claiming_success()
    {
        var writesWhenAsked = new List<int>();
        var host = new FakeEngineHost
        {
            Answer = (_, action) =>
            {
                writesWhenAsked.Add(_server.Requests.Count(r => r.Verb == "update" && !r.Query.Contains("dryRun")));
                return !action.StartsWith("Restart", StringComparison.Ordinal);
            },
        };

        var certificates = await new MtlsService().UpdateTrustBundleAsync(_cluster, new TrustBundleUpdateRequest { Restart = true, BackupPath = _backups.FullName }, host, host.CancellationToken);

        Assert.Equal(6, writesWhenAsked.Count);
        Assert.All(writesWhenAsked, count => Assert.Equal(0, count));
        Assert.Equal(Encoding.UTF8.GetString(Convert.FromBase64String(SecretRoot())), ConfigMapRoot());
        Assert.Equal(2, certificates.Count);
        Assert.Equal(0, _server.Requests.Count("patch", "deployments") + _server.Requests.Count("patch", "statefulsets"));
        Assert.Contains(host.Messages, m => m.StartsWith("WARNING: Stopped before \"restart Sentry\"", StringComparison.Ordinal) && m.Contains("restart namespace team-a"));
        Assert.DoesNotContain(host.Messages, m => m.StartsWith("HOST: Dapr trust bundle updated", StringComparison.Ordinal));
        Assert.Single(_backups.GetFiles());
    }

    [Fact]
    public async Task When_nothing_is_confirmed_nothing_is_written_or_returned()
    {
        var before = SecretRoot();
        var host = new FakeEngineHost { Confirm = false };

        var certificates = await new MtlsService().UpdateTrustBundleAsync(_cluster, new TrustBundleUpdateRequest { Restart = true, BackupPath = _backups.FullName }, host, host.CancellationToken);

        Assert.Empty(certificates);
        Assert.Equal(6, host.ShouldProcessCalls.Count);
        Assert.Equal(before, SecretRoot());
        Assert.DoesNotContain(host.Messages, m => m.StartsWith("WARNING:", StringComparison.Ordinal) || m.StartsWith("HOST:", StringComparison.Ordinal));
    }

    /// <summary>
    /// The stop comes while the ConfigMap write is in flight, and the write then completes within the grace period: the
    /// bundle is whole (both objects hold the new root), the command stops before restarting anything, and its summary
    /// says the write was through and how to finish. The server holds the write until the stop has been requested, so
    /// the order is fixed without any wait on the clock.
    /// </summary>
    [Fact]
    public async Task A_stop_during_the_ConfigMap_write_that_then_completes_keeps_the_new_bundle_and_says_to_finish_with_RestartOnly()
    {
        using var arrived = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        var updates = 0;
        _server.Faults.Add(new FaultRule(FaultKind.Hang)
        {
            Verb = "update",
            Resource = "configmaps",
            When = _ =>
            {
                if (Interlocked.Increment(ref updates) == 2)
                {
                    arrived.Set();
                    released.Wait(TimeSpan.FromSeconds(60));
                }

                return false; // never a fault: the write goes through once released
            },
        });
        using var stop = new CancellationTokenSource();
        var host = new FakeEngineHost { CancellationToken = stop.Token };
        var before = SecretRoot();

        var renewal = Task.Run(() => new MtlsService().UpdateTrustBundleAsync(_cluster, new TrustBundleUpdateRequest { Restart = true, BackupPath = _backups.FullName }, host, host.CancellationToken));
        Assert.True(arrived.Wait(TimeSpan.FromSeconds(60)), "The ConfigMap write never came.");
        stop.Cancel();
        released.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => renewal);

        var newRoot = Encoding.UTF8.GetString(Convert.FromBase64String(SecretRoot()));
        Assert.NotEqual(before, SecretRoot());
        Assert.Equal(newRoot, ConfigMapRoot());
        Assert.Equal(0, _server.Requests.Count("patch", "deployments") + _server.Requests.Count("patch", "statefulsets"));
        var summary = host.Work.Summary("Update-DaprTrustBundle");
        Assert.NotNull(summary);
        Assert.Contains("The trust bundle write was already through when the stop came: the Secret and the ConfigMap both hold the new bundle", summary);
        Assert.Contains($"Recovery file: {Assert.Single(_backups.GetFiles()).FullName}.", summary);
        Assert.Contains("To finish, run Update-DaprTrustBundle -RestartOnly", summary);
        Assert.False(host.Work.Interrupted);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _backups.Delete(recursive: true);
    }

    private string SecretRoot() => _server.Get("", "v1", "secrets", "dapr-system", "dapr-trust-bundle")!["data"]!["ca.crt"]!.GetValue<string>();

    private string ConfigMapRoot() => _server.Get("", "v1", "configmaps", "dapr-system", "dapr-trust-bundle")!["data"]!["ca.crt"]!.GetValue<string>();
}
