using System.Management.Automation;
using DaprSecurity.KubeApiServer.Faults;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// For streaming tests: runs a pipeline while the server holds the second page request of one list
/// (<paramref name="resource"/>), notes how many of that list's page requests had completed when the first object
/// arrived, then lets the held page go.
/// </summary>
public sealed class FirstObjectProbe
{
    private readonly ClusterFixture _cluster;
    private readonly string _resource;
    private readonly FaultRule _hold;

    public FirstObjectProbe(ClusterFixture cluster, string resource)
    {
        (_cluster, _resource) = (cluster, resource);
        var lists = 0;
        _hold = cluster.Server.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "list", Resource = resource, When = _ => Interlocked.Increment(ref lists) == 2 });
    }

    public int? ListsCompletedAtFirst { get; private set; }

    public string? FirstNamespace { get; private set; }

    public int Objects { get; private set; }

    public void Arrived(object result)
    {
        Objects++;
        if (ListsCompletedAtFirst is null)
        {
            ListsCompletedAtFirst = _cluster.Server.Requests.Count("list", _resource);
            var properties = PSObject.AsPSObject(result).Properties;
            FirstNamespace = (properties["Namespace"] ?? properties["Name"]).Value as string; // a namespace's own object has only its Name
            _hold.Release();
        }
    }

    /// <summary>Runs <paramref name="command"/> (which hands each object to <c>$probe.Arrived($_)</c>) with a fresh request log.</summary>
    public void Run(string command)
    {
        // A command that does not stream would wait for the held page: release it after a minute, so the test fails instead of hanging.
        using var safety = new Timer(_ => _hold.Release(), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var session = _cluster.NewSession();
        _cluster.Server.Requests.Reset();
        try
        {
            session.Run(command, new Dictionary<string, object?> { ["probe"] = this }).ThrowOnError();
        }
        finally
        {
            _hold.Release();
            _cluster.Server.Faults.Reset();
        }
    }

    /// <summary>The first object came from <paramref name="firstNamespace"/> while the list's second page (of <paramref name="pages"/>) was held.</summary>
    public void AssertFirstArrivedWhileSecondPageHeld(string firstNamespace, int pages = 2)
    {
        Assert.True(ListsCompletedAtFirst == 1, $"When the first object arrived, {ListsCompletedAtFirst} of the {_resource} list's {pages} page requests had completed.");
        Assert.Equal(firstNamespace, FirstNamespace);
        Assert.Equal(1, _hold.Fired);
        Assert.Equal(pages, _cluster.Server.Requests.Count("list", _resource));
    }
}
