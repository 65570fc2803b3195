using System.Management.Automation;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>Errors stay with the namespace they are about, and a second run finishes exactly what the first left undone.</summary>
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
    public void A_forbidden_namespace_fails_alone_and_a_second_run_finishes_it_without_restarting_the_others()
    {
        DaprApps.Deploy(Server, "resume-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "resume-b", "cart", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "resume-c", "billing", appTokenSecret: "app-api-token");
        Server.AddUser("resume-limited", "resume-limited-token", AccessRule.Forbid("create,update,patch", "secrets", "resume-b"));
        var limited = Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"limited-{Guid.NewGuid():N}.kubeconfig"), "resume-limited");
        const string rotate = "$token | Set-DaprTokenSecret -Namespace resume-* -PassThru -KubeConfig $kc | Restart-DaprDeployment -KubeConfig $kc | ForEach-Object { \"$($_.Namespace)=$($_.Status)\" }";
        _session.Run("$token = New-DaprAppToken").ThrowOnError();

        var first = _session.Run(rotate, new Dictionary<string, object?> { ["kc"] = limited });
        var second = _session.Run(rotate, new Dictionary<string, object?> { ["kc"] = _cluster.KubeConfig }).ThrowOnError();

        var error = Assert.Single(first.AllErrors);
        Assert.Equal("KubeApiForbidden", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("resume-b", error.ToString());
        Assert.Null(error.Exception.InnerException);
        Assert.Contains(first.Warnings, w => w.Contains("1 of 3 namespaces: resume-b") && w.Contains("run the same command again"));
        Assert.Equal(new[] { "resume-a=Restarted", "resume-c=Restarted" }, first.Output.Select(o => o.ToString()).Order());
        Assert.Equal(new[] { "resume-a=UpToDate", "resume-b=Restarted", "resume-c=UpToDate" }, second.Output.Select(o => o.ToString()).Order());
        Assert.Equal(new long[] { 2, 2, 2 }, new[] { ("resume-a", "orders"), ("resume-b", "cart"), ("resume-c", "billing") }.Select(d => DaprApps.Generation(Server, d.Item1, d.Item2)));
    }

    [Fact]
    public void Unknown_namespaces_and_wildcards_matching_nothing_are_errors_while_the_rest_proceeds()
    {
        DaprApps.Deploy(Server, "bad-ok", "orders", appTokenSecret: "app-api-token");

        var result = _session.Run("New-DaprAppToken | Set-DaprTokenSecret -Namespace bad-ok, no-such-namespace, zzz-* -PassThru | ForEach-Object Namespace");

        Assert.Equal("bad-ok", Assert.Single(result.Output).ToString());
        Assert.Equal(
            new[] { ("NamespaceNotFound", "no-such-namespace"), ("NamespaceNotMatched", "zzz-*") },
            result.AllErrors.Select(e => (e.FullyQualifiedErrorId.Split(',')[0], e.TargetObject?.ToString() ?? "")).Order());
        Assert.All(result.AllErrors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
    }

    [Fact]
    public void A_malformed_token_is_refused_before_anything_is_written()
    {
        DaprApps.Deploy(Server, "malformed-a", "orders", appTokenSecret: "app-api-token");

        var result = _session.Run("Set-DaprTokenSecret -Namespace malformed-a -Token \"pasted-token`n\"");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("TokenMalformed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("trailing newline", error.ToString());
        Assert.Null(DaprApps.StoredToken(Server, "malformed-a", "app-api-token"));
    }

    [Fact]
    public void An_immutable_secret_is_reported_not_half_written()
    {
        DaprApps.Deploy(Server, "immutable-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Secret(Server, "immutable-a", "app-api-token", "frozen-token", "immutable: true");

        var result = _session.Run("Set-DaprTokenSecret -Namespace immutable-a -Token new-token-value");

        Assert.Equal("TokenSecretImmutable", Assert.Single(result.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("frozen-token", DaprApps.StoredToken(Server, "immutable-a", "app-api-token"));
    }

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

        var result = _session.Run("Set-DaprTokenSecret -Namespace stop-* -Token complete-token-value -PassThru | ForEach-Object { throw 'downstream failure' }");

        Assert.Contains("downstream failure", Assert.Single(result.AllErrors).ToString());
        // A write the stop cancelled may still be finishing in the server: check the secrets once every write that came has ended.
        Assert.True(
            SpinWait.SpinUntil(() => SecretWritesAnswered() - answeredBefore >= Volatile.Read(ref arrived), TimeSpan.FromSeconds(30)),
            "A secret write was still running in the server 30 s after the command returned.");
        var stored = namespaces.Select(ns => DaprApps.StoredToken(Server, ns, "app-api-token")).ToList();
        Assert.All(stored, token => Assert.True(token is null or "complete-token-value", $"a secret holds '{token}'"));
        Assert.Contains(null, stored);
    }

    private int SecretWritesAnswered() => Server.Requests.Count("create", "secrets") + Server.Requests.Count("update", "secrets");

    public void Dispose() => _session.Dispose();
}
