using System.Management.Automation;
using DaprSecurity.KubeApiServer.Faults;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// For streaming tests: runs a pipeline while the server holds a later page of a list, notes what the server's log
/// says when the first object arrives (<paramref name="completedLists"/>), then lets the held page go.
/// </summary>
public sealed class FirstObjectProbe(Func<int> completedLists, FaultRule hold)
{
    public int? ListsCompletedAtFirst { get; private set; }

    public string? FirstNamespace { get; private set; }

    public int Objects { get; private set; }

    public void Arrived(object result)
    {
        Objects++;
        if (ListsCompletedAtFirst is null)
        {
            ListsCompletedAtFirst = completedLists();
            FirstNamespace = PSObject.AsPSObject(result).Properties["Namespace"].Value as string;
            hold.Release();
        }
    }

    /// <summary>Runs <paramref name="command"/> (which hands each object to <c>$probe.Arrived($_)</c>) with a fresh request log.</summary>
    public void Run(ClusterFixture cluster, string command)
    {
        // A command that does not stream would wait for the held page: release it after a minute, so the test fails instead of hanging.
        using var safety = new Timer(_ => hold.Release(), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var session = cluster.NewSession();
        cluster.Server.Requests.Reset();
        try
        {
            session.Run(command, new Dictionary<string, object?> { ["probe"] = this }).ThrowOnError();
        }
        finally
        {
            hold.Release();
            cluster.Server.Faults.Reset();
        }
    }
}
