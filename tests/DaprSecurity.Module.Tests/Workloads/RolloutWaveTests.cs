using DaprSecurity.KubeApiServer;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

/// <summary>A cluster whose rollouts take a moment, as real ones do, so that waiting and waves are visible.</summary>
public sealed class SlowRolloutCluster : ClusterFixture
{
    protected override KubeApiServerOptions ServerOptions => new() { ControllerDelay = TimeSpan.FromMilliseconds(100) };
}

/// <summary>Restart-DaprDeployment -Wait as progressive delivery: a canary, growing waves, a stop at the first failed rollout, resume, watches.</summary>
public sealed class RolloutWaveTests : IClassFixture<SlowRolloutCluster>, IDisposable
{
    private readonly SlowRolloutCluster _cluster;
    private readonly PowerShellSession _session;

    public RolloutWaveTests(SlowRolloutCluster cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Fact]
    public void The_canary_rolls_out_alone_then_each_wave_starts_only_after_the_previous_one_rolled_out()
    {
        var namespaces = Enumerable.Range(1, 6).Select(i => $"wave-{i}").ToList();
        foreach (var ns in namespaces)
        {
            DaprApps.Deploy(Server, ns, "orders", appTokenSecret: "app-api-token");
            DaprApps.Deploy(Server, ns, "cart", appTokenSecret: "app-api-token");
        }

        var result = _session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace wave-* -PassThru | Restart-DaprDeployment -Wait -Timeout 20 -Canary wave-4 -Wave 2 -Verbose | ForEach-Object Status").ThrowOnError();

        Assert.Equal(Enumerable.Repeat("RolledOut", 12), result.Output.Select(o => o.ToString()));
        var waves = result.Verbose.Where(v => v.StartsWith("Wave ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, waves.Count);
        Assert.StartsWith("Wave 1 of 3 (canary): namespace wave-4, 2 workload(s)", waves[0]);
        Assert.Contains("2 of 3", waves[1]);
        var wave = namespaces.ToDictionary(ns => ns, ns => ns == "wave-4" ? 0 : waves[1].Contains(ns) ? 1 : 2);
        Assert.Equal(new[] { 1, 2, 3 }, wave.Values.GroupBy(w => w).OrderBy(g => g.Key).Select(g => g.Count()));

        // Each wave's first restart reaches the server only after every rollout of the wave before it completed, which takes
        // at least the controller delay (100 ms) after that wave's first restart (a little less between the two log
        // entries). Measured from the first restart, not the last: on a loaded machine a log entry can be written late.
        var patches = Server.Requests.Entries.Where(r => r.Verb == "patch" && r.Resource == "deployments" && r.Namespace!.StartsWith("wave-", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, patches.Count);
        for (var i = 1; i < 3; i++)
        {
            var previousFirst = patches.Where(p => wave[p.Namespace!] == i - 1).Min(p => p.Time);
            var nextFirst = patches.Where(p => wave[p.Namespace!] == i).Min(p => p.Time);
            Assert.True(nextFirst - previousFirst >= TimeSpan.FromMilliseconds(90), $"wave {i + 1} started {(nextFirst - previousFirst).TotalMilliseconds} ms after wave {i}'s first restart, before its rollouts could complete");
        }

        // One watch per namespace follows both of its rollouts; nothing is read one by one.
        Assert.True(Server.Requests.WaitUntilIdle(TimeSpan.FromSeconds(10)), "the server still has requests open");
        Assert.Equal(0, Server.Requests.Count(r => r.Verb == "get" && r.Resource == "deployments" && r.Namespace!.StartsWith("wave-", StringComparison.Ordinal)));
        Assert.Equal(namespaces.Order(), Server.Requests.Entries.Where(r => r.Verb == "watch" && r.Resource == "deployments").Select(r => r.Namespace!).Order());
    }

    [Fact]
    public void The_first_failed_rollout_stops_every_later_wave_and_the_same_command_again_finishes_only_the_rest()
    {
        var namespaces = Enumerable.Range(1, 5).Select(i => $"stop-{i}").ToList();
        foreach (var ns in namespaces)
        {
            DaprApps.Deploy(Server, ns, "orders", appTokenSecret: "app-api-token", rollout: ns == "stop-2" ? "fail" : null);
        }

        const string Rotate = "$token | Set-DaprTokenSecret -Namespace stop-* -ThrottleLimit 1 -PassThru | Restart-DaprDeployment -Wait -Timeout 20 -Wave 2 | ForEach-Object { \"$($_.Namespace)=$($_.Status)\" }";
        var first = _session.Run("$token = New-DaprAppToken; " + Rotate);

        Assert.Equal(new[] { "stop-1=RolledOut", "stop-2=Failed", "stop-3=RolledOut", "stop-4=Skipped", "stop-5=Skipped" }, first.Output.Select(o => o.ToString()).Order());
        var error = Assert.Single(first.AllErrors);
        Assert.StartsWith("RolloutFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("Later waves are not restarted", error.Exception.Message);
        var warning = Assert.Single(first.Warnings, w => w.Contains("not restarted:"));
        Assert.Contains("Deployment stop-4/orders", warning); // in the order the skipped restarts came back
        Assert.Contains("Deployment stop-5/orders", warning);
        Assert.Contains("run the same command again", warning);
        Assert.Equal((1, 1), (DaprApps.Generation(Server, "stop-4", "orders"), DaprApps.Generation(Server, "stop-5", "orders")));

        DaprApps.Deploy(Server, "stop-2", "orders", appTokenSecret: "app-api-token");
        var again = _session.Run(Rotate).ThrowOnError();

        // stop-2 was fixed by re-applying it, which rolled its pods by other means: UpToDate or restarted again, both are right.
        Assert.Equal(new[] { "stop-1=UpToDate", "stop-3=UpToDate", "stop-4=RolledOut", "stop-5=RolledOut" }, again.Output.Select(o => o.ToString()).Where(o => !o.StartsWith("stop-2", StringComparison.Ordinal)).Order());
        Assert.Equal(new[] { 2, 2, 2, 2 }, new[] { "stop-1", "stop-3", "stop-4", "stop-5" }.Select(ns => DaprApps.ReplicaSets(Server, ns, "orders")));
    }

    [Fact]
    public void A_namespaces_restarts_do_not_wait_for_the_answer_of_its_first_one_before_they_are_sent()
    {
        DaprApps.Deploy(Server, "side-by-side", "cart");
        DaprApps.Deploy(Server, "side-by-side", "orders");

        // The first restart to reach the server is held until the namespace's other one reaches it too, which can only
        // happen if that is sent before the first one's answer (the safety release after 30 s keeps a broken build from hanging).
        var patches = 0;
        var sentBeforeFirstAnswer = false;
        var first = Server.Faults.Add(new FaultRule(FaultKind.Hold) { Verb = "patch", Resource = "deployments", Namespace = "side-by-side", When = _ => Interlocked.Increment(ref patches) == 1 });
        Server.Faults.Add(new FaultRule(FaultKind.Hold)
        {
            Verb = "patch",
            Resource = "deployments",
            Namespace = "side-by-side",
            When = _ =>
            {
                sentBeforeFirstAnswer |= Server.Requests.Count(q => q.Verb == "patch" && q.Namespace == "side-by-side") == 0;
                first.Release();
                return false;
            },
        });
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => first.Release(), TaskScheduler.Default);

        var result = _session.Run("Restart-DaprDeployment -Namespace side-by-side -Wait -Timeout 90 | ForEach-Object Status").ThrowOnError();

        Assert.Equal(new[] { "RolledOut", "RolledOut" }, result.Output.Select(o => o.ToString()));
        Assert.True(sentBeforeFirstAnswer, "the namespace's second restart waited for its first one's answer");
        Assert.True(Server.Requests.WaitUntilIdle(TimeSpan.FromSeconds(10)), "the server still has requests open");
        Assert.Equal(1, Server.Requests.Count(r => r.Verb == "watch" && r.Namespace == "side-by-side"));
    }

    [Fact]
    public async Task A_watch_that_drops_is_resumed_and_a_410_Gone_falls_back_to_a_read_and_a_new_watch()
    {
        // Rollouts that take three seconds, so that every fault below hits a rollout still in progress even on a busy
        // machine (at one second a loaded CI run once saw the rollouts end before the faults were spent).
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new() { ControllerDelay = TimeSpan.FromSeconds(3) });
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);
        DaprApps.Deploy(server, "watch", "orders");
        DaprApps.Deploy(server, "watch", "cart");
        var dropped = server.Faults.Add(new FaultRule(FaultKind.DropWatch) { Verb = "watch", EventsBeforeDrop = 0, Times = 2 });
        var gone = server.Faults.Add(new FaultRule(FaultKind.WatchGone) { Verb = "watch", Times = 2 });

        var result = session.Run("Restart-DaprDeployment -Namespace watch -Wait -Timeout 20 | ForEach-Object Status").ThrowOnError();

        Assert.Equal(new[] { "RolledOut", "RolledOut" }, result.Output.Select(o => o.ToString()));
        Assert.Equal((2, 2), (dropped.Fired, gone.Fired));
        Assert.True(server.Requests.WaitUntilIdle(TimeSpan.FromSeconds(10)), "the server still has requests open");
        // One watch follows both rollouts: cut twice and resumed, then twice 410 Gone, each followed by a list of the
        // namespace's deployments and a new watch from the list's resourceVersion; nothing is read one by one.
        Assert.Equal(5, server.Requests.Count(r => r.Verb == "watch" && r.Namespace == "watch"));
        Assert.Equal(2, server.Requests.Count(r => r.Verb == "list" && r.Resource == "deployments" && r.Namespace == "watch" && !r.Query.Contains("limit")));
        Assert.Equal(0, server.Requests.Count(r => r.Verb == "get" && r.Resource == "deployments" && r.Namespace == "watch"));
        Assert.Equal((2, 2), (DaprApps.ReplicaSets(server, "watch", "orders"), DaprApps.ReplicaSets(server, "watch", "cart")));
    }

    [Fact]
    public async Task An_API_server_that_goes_away_during_the_rollouts_is_ClusterUnreachable_at_once_not_a_reconnect_until_the_timeout()
    {
        // Rollouts that would take a minute: the server is stopped while its watch follows them. Reconnecting to a
        // refused port cannot succeed, so the rollout ends with ClusterUnreachable naming the server within seconds,
        // instead of a reconnect every 100 ms until -Timeout (the command once sat there for the whole five minutes).
        var server = await KubeApiServer.KubeApiServer.StartAsync(new() { ControllerDelay = TimeSpan.FromSeconds(60) });
        var url = server.Url;
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);
        DaprApps.Deploy(server, "gone", "orders");
        PowerShellResult result;
        try
        {
            var run = Task.Run(() => session.Run("Restart-DaprDeployment -Namespace gone -Wait -Timeout 60"));
            // A watch is logged when it ends; the restart when it is answered, and the watch opens alongside it.
            Assert.True(SpinWait.SpinUntil(() => server.Requests.Count(r => r.Verb == "patch" && r.Namespace == "gone") > 0, TimeSpan.FromSeconds(60)), "the workload was never restarted");
            await Task.Delay(TimeSpan.FromSeconds(1));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await server.DisposeAsync();
            server = null;

            result = await run.WaitAsync(TimeSpan.FromSeconds(50));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the command took {clock.Elapsed} to end after its server went away");
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("ClusterUnreachable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains(url.TrimEnd('/'), error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_DaprTrustBundle_Restart_follows_its_rollouts_with_the_same_watches_through_drops_and_410_Gone()
    {
        await using var server = await KubeApiServer.KubeApiServer.StartAsync(new() { ControllerDelay = TimeSpan.FromMilliseconds(800) });
        server.SeedDapr();
        using var session = new PowerShellSession(kubeConfig: server.KubeconfigPath);
        var dropped = server.Faults.Add(new FaultRule(FaultKind.DropWatch) { Verb = "watch", Resource = "deployments", EventsBeforeDrop = 0, Times = 3 });
        var gone = server.Faults.Add(new FaultRule(FaultKind.WatchGone) { Verb = "watch", Resource = "statefulsets", Times = 2 });

        var result = session.Run("Update-DaprTrustBundle -Restart -Timeout 20 -Confirm:$false").ThrowOnError();

        Assert.Contains(result.Information, i => i.Contains("8 workloads restarted"));
        Assert.Equal((3, 2), (dropped.Fired, gone.Fired));
        // Each 410 Gone is followed by a list of the statefulsets of dapr-system (placement and scheduler share one watch).
        Assert.Equal(2, server.Requests.Count(r => r.Verb == "list" && r.Resource == "statefulsets" && r.Namespace == "dapr-system" && !r.Query.Contains("limit")));
        Assert.Equal(0, server.Requests.Count(r => r.Verb == "get" && r.Resource is "deployments" or "statefulsets"));
        Assert.Equal("Pass", session.Run("(Test-DaprMtls).Checks | Where-Object Name -eq TrustAnchorsCurrent | ForEach-Object Result").ThrowOnError().Output.Single().ToString());
    }

    public void Dispose() => _session.Dispose();
}
