using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>Messages the engine writes from its worker threads reach the console while the work runs, not after it.</summary>
public sealed class LiveFeedbackTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _cluster;

    public LiveFeedbackTests(ClusterFixture cluster) => _cluster = cluster;

    [Fact]
    public void A_warning_from_a_worker_thread_arrives_while_the_command_still_waits_on_the_cluster()
    {
        // The identity may not list workloads, so the scope read warns (from the task listing apps) while the
        // component list, started alongside, hangs until the command is stopped.
        var ns = _cluster.Seed.AppNamespaces[0];
        _cluster.Server.AddUser("no-workloads", "no-workloads-token", AccessRule.Forbid("list", "deployments,statefulsets,daemonsets"));
        var kubeconfig = _cluster.Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"no-workloads-{Guid.NewGuid():N}.kubeconfig"), "no-workloads");
        var hang = new FaultRule(FaultKind.Hang) { Resource = "components", Namespace = ns };
        _cluster.Server.Faults.Add(hang);
        try
        {
            using var session = new PowerShellSession();

            var warnedWhileRunning = session.HoldsWhileRunning(
                "Get-DaprComponentScope -Namespace $ns -KubeConfig $kc",
                streams => hang.Fired > 0 && streams.Warning.Any(w => w.Message.StartsWith("Scopes are not checked against app-ids", StringComparison.Ordinal)),
                new Dictionary<string, object?> { ["ns"] = ns, ["kc"] = kubeconfig });

            Assert.True(warnedWhileRunning, "The warning did not reach the warning stream while the component list was still hanging.");
        }
        finally
        {
            _cluster.Server.Faults.Reset();
            File.Delete(kubeconfig);
        }
    }
}
