using System.Diagnostics;
using System.Management.Automation;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

// Stays in xunit: the pipeline is stopped (PowerShell.Stop, as Ctrl+C) the moment the in-process Hang rule has fired.
/// <summary>What every cluster cmdlet inherits from its connection: Ctrl+C. (TLS, connection errors and client reuse are Pester's Hardening.Tests.ps1.)</summary>
public sealed class ClusterConnectionTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _cluster;

    public ClusterConnectionTests(ClusterFixture cluster) => _cluster = cluster;

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
}
