using System.Diagnostics;
using System.Management.Automation;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>
/// Ctrl+C in any writing cmdlet: before the pipeline stops, one warning names what was done, what was not and how to
/// finish, and $Error[0] holds it as CommandStopped. One write hangs so the stop lands part-way; each test gets its own
/// cluster, since the writes before the hang change it.
/// </summary>
// Stays in xunit: it stops the pipeline as Ctrl+C does at the moment a write hangs (PowerShell.Stop on a hosted runspace), and reads the host's warnings and $Error[0] after.
public sealed class StopSummaryTests : IAsyncLifetime
{
    private const string SameCommandAgain = "To finish, run the same command again: what is already done is left as it is, only the rest is done.";
    private KubeApiServer.KubeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.KubeApiServer.StartAsync(new());
        _server.SeedDapr();
    }

    [Theory]
    [InlineData("Set-DaprTokenSecret", "New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-*, team-a -ThrottleLimit 1", "secrets", "prod-orders", null, "secret prod-inventory/app-api-token", "secret prod-orders/app-api-token, secret team-a/app-api-token")]
    [InlineData("Restart-DaprDeployment", "Restart-DaprDeployment -Namespace prod-*, team-a -ThrottleLimit 1", "deployments", "prod-orders", null, "Deployment prod-inventory/inventory", "Deployment prod-orders/orders")]
    // Piped workloads bring their context, so the targets (and the summary) start with it: what was done is still named as done.
    [InlineData("Restart-DaprDeployment", "Get-DaprDeployment -Namespace prod-*, team-a | Restart-DaprDeployment -ThrottleLimit 1", "deployments", "prod-orders", null, "[admin@kube-api-server] Deployment prod-inventory/inventory", "[admin@kube-api-server] Deployment prod-orders/orders")]
    [InlineData("Restart-DaprDeployment", "Get-DaprDeployment -Namespace prod-*, team-a | Restart-DaprDeployment -Wait -ThrottleLimit 1", "deployments", "prod-orders", null, "[admin@kube-api-server] Deployment prod-inventory/inventory", "[admin@kube-api-server] Deployment prod-orders/orders")]
    [InlineData("Set-DaprComponentScope", "Set-DaprComponentScope -Namespace prod-orders -Name * -AppId orders, audit", "components", "prod-orders", "statestore", "component prod-orders/pubsub", "component prod-orders/statestore")]
    [InlineData("Add-DaprComponentScope", "Add-DaprComponentScope -Namespace prod-orders -Name * -AppId audit", "components", "prod-orders", "statestore", "component prod-orders/pubsub", "component prod-orders/statestore")]
    public void Stopping_a_writing_cmdlet_part_way_writes_one_warning_with_what_was_done_what_was_not_and_how_to_finish(string command, string script, string resource, string hungNamespace, string? hungName, string done, string notDone)
    {
        using var session = new PowerShellSession(kubeConfig: _server.KubeconfigPath);
        var hang = HangWrites(resource, hungNamespace, hungName);

        var stopped = session.Stop(script, until: () => hang.Fired > 0);

        var warning = AssertOneSummary(stopped, command);
        // The not-done list starts with the hung write; a restart planned after it may or may not be listed, as the stop
        // can come before the restarter reaches it.
        Assert.True(warning.Contains($" Done: {done}. Not done (or not confirmed): {notDone}", StringComparison.Ordinal), warning);
        Assert.EndsWith(SameCommandAgain, warning);
    }

    [Fact]
    public void Stopping_Remove_DaprComponentScope_names_the_component_not_reached()
    {
        using var session = new PowerShellSession(kubeConfig: _server.KubeconfigPath);
        session.Run("Set-DaprComponentScope -Namespace prod-orders -Name * -AppId orders, retired").ThrowOnError();
        var hang = HangWrites("components", "prod-orders", "statestore");

        var stopped = session.Stop("Remove-DaprComponentScope -Namespace prod-orders -Name * -AppId retired", until: () => hang.Fired > 0);

        var warning = AssertOneSummary(stopped, "Remove-DaprComponentScope");
        Assert.Contains(" Done: component prod-orders/pubsub. Not done (or not confirmed): component prod-orders/statestore.", warning);
    }

    [Fact]
    public void Stopping_Set_DaprSidecarAnnotation_names_the_workload_whose_change_was_not_confirmed()
    {
        using var session = new PowerShellSession(kubeConfig: _server.KubeconfigPath);
        var hang = HangWrites("deployments", "prod-orders", null);

        var stopped = session.Stop("Get-DaprDeployment -Namespace prod-*, team-a | Set-DaprSidecarAnnotation -EnableApiLogging $true", until: () => hang.Fired > 0);

        var warning = AssertOneSummary(stopped, "Set-DaprSidecarAnnotation");
        Assert.Matches(@" Not done \(or not confirmed\): [^.]*Deployment prod-orders/orders", warning);
        Assert.EndsWith(SameCommandAgain, warning);
    }

    [Fact]
    public void SIGINT_to_a_real_pwsh_stops_Set_DaprTokenSecret_within_seconds_and_the_console_shows_the_summary()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var hang = HangWrites("secrets", "prod-orders", null);
        var dataHome = Directory.CreateTempSubdirectory("daprsec-sigint-").FullName;
        try
        {
            using var pwsh = new PwshProcess($"New-DaprAppToken | Set-DaprTokenSecret -KubeConfig '{_server.KubeconfigPath}' -Namespace prod-*, team-a -ThrottleLimit 1", dataHome);
            Assert.True(SpinWait.SpinUntil(() => hang.Fired > 0, TimeSpan.FromSeconds(120)), "The write never came:\n" + pwsh.Output);
            var clock = Stopwatch.StartNew();

            pwsh.Signal("INT");
            pwsh.WaitForExit(TimeSpan.FromSeconds(60));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"pwsh took {clock.Elapsed} to end after SIGINT");
            Assert.Contains("WARNING: Set-DaprTokenSecret was stopped. Done: secret prod-inventory/app-api-token. Not done (or not confirmed): secret prod-orders/app-api-token, secret team-a/app-api-token.", pwsh.Output.Replace(Environment.NewLine, " "));
        }
        finally
        {
            Directory.Delete(dataHome, recursive: true);
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Writes (create, update, patch) of one resource in one namespace, optionally one object, hang until the client gives up.</summary>
    private FaultRule HangWrites(string resource, string ns, string? name)
        => _server.Faults.Add(new FaultRule(FaultKind.Hang) { Resource = resource, Namespace = ns, When = r => r.Verb is "create" or "update" or "patch" && (name is null || r.Name == name) });

    /// <summary>The stop ended the command within seconds, with exactly one summary on the host, in the warning stream and in $Error[0].</summary>
    private static string AssertOneSummary(StoppedRun stopped, string command)
    {
        Assert.Equal(PSInvocationState.Stopped, stopped.State);
        Assert.True(stopped.StopTook < TimeSpan.FromSeconds(15), $"stopping took {stopped.StopTook}");
        var warning = Assert.Single(stopped.HostWarnings, w => w.Contains(" was stopped.", StringComparison.Ordinal));
        Assert.Equal(warning, Assert.Single(stopped.Result.Warnings, w => w.Contains(" was stopped.", StringComparison.Ordinal)));
        Assert.StartsWith($"{command} was stopped. Done: ", warning);
        Assert.Equal("CommandStopped", stopped.LastError!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(warning, stopped.LastError.Exception.Message);
        return warning;
    }
}
