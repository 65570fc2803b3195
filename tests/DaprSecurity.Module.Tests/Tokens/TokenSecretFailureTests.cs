using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>A secret raced between read and write, and a pipeline stopped part-way, leave every secret whole.</summary>
// Stays in xunit: both need a fault rule whose predicate acts inside the server as a request arrives (FaultRule.When:
// edit the secret, count the writes that reach it), which the admin endpoint's rules cannot express. The other
// Set-DaprTokenSecret errors are TokenSecrets.Tests.ps1's.
public sealed class TokenSecretFailureTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public TokenSecretFailureTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Fact]
    public void A_secret_changed_between_read_and_write_is_read_again_and_the_other_change_kept()
    {
        DaprApps.Secret(Server, "default", "race-token", "old-token");
        var raced = false;
        Server.Faults.Add(new FaultRule(FaultKind.InternalError)
        {
            Verb = "update",
            Resource = "secrets",
            When = request =>
            {
                if (request.Name == "race-token" && !raced)
                {
                    raced = true;
                    DaprApps.Secret(Server, "default", "race-token", "old-token", "  annotations: {changed-by: someone-else}");
                }

                return false;
            },
        });

        var result = _session.Run("Set-DaprTokenSecret -Namespace default -SecretName race-token -Token new-token-value -PassThru | ForEach-Object Action").ThrowOnError();

        Assert.True(raced);
        Assert.Equal("Updated", Assert.Single(result.Output).ToString());
        Assert.Equal("new-token-value", DaprApps.StoredToken(Server, "default", "race-token"));
        Assert.Equal("someone-else", Server.Get("", "v1", "secrets", "default", "race-token")!["metadata"]!["annotations"]!["changed-by"]!.GetValue<string>());
        Assert.True(Server.Requests.Count(r => r.Verb == "update" && r.Name == "race-token" && r.StatusCode == 409) >= 1);
    }

    [Fact]
    public void A_pipeline_stopped_by_a_later_command_leaves_every_secret_with_the_token_or_untouched()
    {
        var namespaces = Enumerable.Range(0, 40).Select(i => $"stop-{i:00}").ToList();
        foreach (var ns in namespaces)
        {
            DaprApps.Deploy(Server, ns, "orders", appTokenSecret: "app-api-token");
        }

        var arrived = 0;
        var answeredBefore = SecretWritesAnswered();
        Server.Faults.Add(new FaultRule(FaultKind.InternalError)
        {
            Resource = "secrets",
            When = request =>
            {
                if (request.Verb is "create" or "update")
                {
                    Interlocked.Increment(ref arrived);
                }

                return false; // only counts the writes that reach the server
            },
        });

        // Every write but the first namespace's waits until the stop has cancelled it, so some secrets are always left
        // untouched however fast the machine (the safety release after 30 s keeps a broken build from hanging).
        var held = Server.Faults.Add(new FaultRule(FaultKind.Hold) { Resource = "secrets", When = request => request.Verb is "create" or "update" && request.Namespace != "stop-00" });
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => held.Release(), TaskScheduler.Default);

        var result = _session.Run("Set-DaprTokenSecret -Namespace stop-* -Token complete-token-value -PassThru | ForEach-Object { throw 'downstream failure' }");

        Assert.Contains("downstream failure", Assert.Single(result.AllErrors).ToString());
        // A write the stop cancelled may still be finishing in the server: check the secrets once every write that came has ended.
        var settled = SpinWait.SpinUntil(() => SecretWritesAnswered() - answeredBefore >= Volatile.Read(ref arrived), TimeSpan.FromSeconds(30));
        held.Release(); // every held write was cancelled by the stop; later tests on this server are not held
        Assert.True(settled, "A secret write was still running in the server 30 s after the command returned.");
        var stored = namespaces.Select(ns => DaprApps.StoredToken(Server, ns, "app-api-token")).ToList();
        Assert.All(stored, token => Assert.True(token is null or "complete-token-value", $"a secret holds '{token}'"));
        Assert.Contains(null, stored);
    }

    private int SecretWritesAnswered() => Server.Requests.Count("create", "secrets") + Server.Requests.Count("update", "secrets");

    public void Dispose() => _session.Dispose();
}
