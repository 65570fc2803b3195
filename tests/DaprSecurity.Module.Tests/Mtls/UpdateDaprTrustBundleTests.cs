using System.Text;
using System.Management.Automation;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>Update-DaprTrustBundle end to end. Each test gets its own seeded cluster, because renewals change everything.</summary>
public sealed class UpdateDaprTrustBundleTests : IAsyncLifetime, IDisposable
{
    private const string Ns = "dapr-system";
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-renew-").FullName;
    private KubeApiServer.KubeApiServer _server = null!;
    private DaprSeedResult _seed = null!;
    private PowerShellSession _session = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.KubeApiServer.StartAsync(new());
        _seed = _server.SeedDapr();
        _session = new PowerShellSession(kubeConfig: _server.KubeconfigPath);
        _session.Run("$PSDefaultParameterValues['Update-DaprTrustBundle:BackupPath'] = $d", new Dictionary<string, object?> { ["d"] = _directory }).ThrowOnError();
        Polling.Eventually(DaprPods, pods => pods.Count == 3);
    }

    [Fact]
    public void Restart_renews_then_restarts_Sentry_the_control_plane_and_each_namespace_in_order_and_every_pod_trusts_the_new_root()
    {
        var result = _session.Run("Update-DaprTrustBundle -Restart -Confirm:$false -PassThru -Verbose -Debug").ThrowOnError();

        var newRoot = SecretText("ca.crt");
        Assert.NotEqual(_seed.Root.CertificatePem, newRoot);
        Assert.Equal(newRoot, ConfigMapRoot());
        Assert.Equal(new[] { "Root", "Issuer" }, result.Output.Select(o => o.Properties["Role"].Value.ToString()));
        Assert.Equal("O=cluster.local", result.Output[0].Properties["Subject"].Value);
        Assert.Equal("ECDSA P-256", result.Output[1].Properties["KeyAlgorithm"].Value);
        Assert.Equal(364, result.Output[1].Properties["DaysUntilExpiry"].Value);

        // Sentry alone, then the rest of the control plane (restarted together, in any order), then the app namespaces in
        // waves: the canary, then one, then the rest.
        var restarts = Restarts();
        Assert.Equal(8, restarts.Count);
        Assert.Equal("dapr-system/dapr-sentry", restarts[0]);
        Assert.Equal(
            new[] { "dapr-system/dapr-operator", "dapr-system/dapr-placement-server", "dapr-system/dapr-scheduler-server", "dapr-system/dapr-sidecar-injector" },
            restarts.Skip(1).Take(4).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "prod-inventory/inventory", "prod-orders/orders", "team-a/team-a" }, restarts.Skip(5));
        var pods = Polling.Eventually(DaprPods, p => p.Count == 3 && p.All(x => TrustAnchors(x) == newRoot));
        Assert.All(pods, p => Assert.Equal(newRoot, TrustAnchors(p)));
        var verdict = _session.Run("(Test-DaprMtls).Verdict").ThrowOnError().Output.Single().ToString();
        Assert.Equal("Pass", verdict);
        Assert.Contains(result.Information, i => i.StartsWith("Dapr trust bundle updated in dapr-system", StringComparison.Ordinal) && i.Contains("8 workloads restarted"));
        Assert.DoesNotContain(SecretText("issuer.key").Split('\n')[1], result.AllText());
        Assert.Contains(result.Progress, p => p.Contains("restart Sentry"));
        Assert.Contains(result.Progress, p => p.Contains("restart namespace team-a"));
    }

    [Fact]
    public void Without_Restart_the_running_pods_are_stale_and_a_warning_names_the_restarts_still_needed()
    {
        var result = _session.Run("Update-DaprTrustBundle -Confirm:$false").ThrowOnError();

        Assert.Empty(Restarts());
        Assert.Contains(result.Warnings, w => w.Contains("Sentry, then the operator, placement, scheduler and injector, then every Dapr workload"));
        var check = _session.Run("(Test-DaprMtls).Checks | Where-Object Name -eq TrustAnchorsCurrent").ThrowOnError().Output.Single();
        Assert.Equal("Fail", check.Properties["Result"].Value.ToString());
        Assert.Contains("3 of 3 running Dapr pods", (string)check.Properties["Detail"].Value);
    }

    [Fact]
    public void A_failing_ConfigMap_write_puts_the_Secret_back_as_it_was_and_nothing_is_restarted()
    {
        var configMapWrites = 0;
        _server.Faults.Add(new FaultRule(FaultKind.TooManyRequests)
        {
            Verb = "update",
            Resource = "configmaps",
            RetryAfter = TimeSpan.Zero,
            When = _ => Interlocked.Increment(ref configMapWrites) > 1, // the first update is the dry run, which succeeds
        });

        var result = _session.Run("Update-DaprTrustBundle -Restart -Confirm:$false");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("TrustBundleWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("restored to its previous content", error.Exception.Message);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Issuer.CertificatePem, SecretText("issuer.crt"));
        Assert.Equal(_seed.Issuer.PrivateKeyPem, SecretText("issuer.key"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
        Assert.Equal(2, _server.Requests.Count(r => r.Verb == "update" && r.Resource == "secrets" && !r.Query.Contains("dryRun")));
        Assert.Empty(Restarts());
        Assert.DoesNotContain(result.Information, i => i.StartsWith("Dapr trust bundle", StringComparison.Ordinal));
    }

    [Fact]
    public void A_user_who_may_not_write_the_ConfigMap_is_stopped_by_the_dry_run_before_the_Secret_is_touched()
    {
        _server.AddUser("ops", "ops-token", AccessRule.Forbid("update", "configmaps"));
        using var session = new PowerShellSession(kubeConfig: _server.WriteKubeconfig(Path.Combine(_directory, "ops.yaml"), "ops"));

        var error = Assert.Single(session.Run("Update-DaprTrustBundle -Confirm:$false").AllErrors);

        Assert.StartsWith("KubeApiForbidden,", error.FullyQualifiedErrorId);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(0, _server.Requests.Count(r => r.Verb == "update" && r.Resource == "secrets" && !r.Query.Contains("dryRun")));
    }

    [Fact]
    public void A_rollout_that_fails_stops_the_restarts_and_the_error_says_what_was_done_and_what_was_not()
    {
        _server.Apply(AppDeployment("a-broken", "broken", "test.daprsecurity.io/rollout: fail"));

        var result = _session.Run("Update-DaprTrustBundle -Restart -Timeout 20 -Confirm:$false");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("RolloutFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("The trust bundle was replaced", error.Exception.Message);
        Assert.Contains("Deployment a-broken/broken", error.Exception.Message);
        Assert.Contains("Done: write the trust bundle, restart Sentry, restart the control plane.", error.Exception.Message);
        Assert.Contains("Not done: restart namespace a-broken, restart namespace prod-inventory, restart namespace prod-orders, restart namespace team-a.", error.Exception.Message);
        Assert.Contains("Update-DaprTrustBundle -RestartOnly", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(Restarts(), r => r.StartsWith("prod-", StringComparison.Ordinal) || r.StartsWith("team-", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Information, i => i.StartsWith("Dapr trust bundle", StringComparison.Ordinal));
    }

    [Fact]
    public void After_a_failed_restart_RestartOnly_finishes_the_rollout_in_order_without_a_new_bundle_and_skips_apps_already_done()
    {
        _server.Apply(AppDeployment("a-broken", "broken", "test.daprsecurity.io/rollout: fail"));
        Assert.NotEmpty(_session.Run("Update-DaprTrustBundle -Restart -Timeout 20 -Confirm:$false").AllErrors);
        var bundle = SecretText("ca.crt") + SecretText("issuer.crt");
        _server.Delete("apps", "v1", "deployments", "a-broken", "broken");

        var result = _session.Run("Update-DaprTrustBundle -RestartOnly -Timeout 20 -Confirm:$false").ThrowOnError();

        Assert.Equal(bundle, SecretText("ca.crt") + SecretText("issuer.crt"));
        Assert.Empty(result.Output);
        Assert.Contains(result.Information, i => i.StartsWith("Dapr trust bundle of dapr-system rolled out: 8 workloads restarted in order", StringComparison.Ordinal));
        var newRoot = SecretText("ca.crt");
        Polling.Eventually(DaprPods, p => p.Count == 3 && p.All(x => TrustAnchors(x) == newRoot));
        Assert.Equal("Pass", _session.Run("(Test-DaprMtls).Verdict").ThrowOnError().Output.Single().ToString());

        var again = _session.Run("Update-DaprTrustBundle -RestartOnly -Timeout 20 -Confirm:$false").ThrowOnError();

        Assert.Contains(again.Information, i => i.StartsWith("Dapr trust bundle of dapr-system rolled out: 5 workloads restarted in order", StringComparison.Ordinal));
    }

    [Fact]
    public void With_Canary_and_Wave_the_canary_namespace_rolls_out_alone_after_the_control_plane_then_each_wave_in_turn()
    {
        var result = _session.Run("Update-DaprTrustBundle -Restart -Canary team-* -Wave 1 -ThrottleLimit 2 -Confirm:$false").ThrowOnError();

        Assert.Contains(result.Information, i => i.Contains("8 workloads restarted"));
        Assert.Equal(new[] { "team-a/team-a", "prod-inventory/inventory", "prod-orders/orders" }, Restarts().Skip(5));
        Assert.Contains(result.Progress, p => p.Contains("restart namespace team-a"));
    }

    [Fact]
    public void A_canary_that_matches_no_Dapr_namespace_is_refused_before_anything_is_written()
    {
        var error = Assert.Single(_session.Run("Update-DaprTrustBundle -Restart -Canary nowhere -Confirm:$false").AllErrors);

        Assert.StartsWith("NamespaceNotMatched,", error.FullyQualifiedErrorId);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Empty(Restarts());
    }

    [Fact]
    public void A_failed_rollout_in_a_wave_stops_the_later_waves_and_the_same_RestartOnly_again_finishes_only_the_rest()
    {
        _server.Apply(AppDeployment("prod-inventory", "broken", "test.daprsecurity.io/rollout: fail"));
        const string Waves = "-Canary team-a -Wave 1 -Timeout 20 -Confirm:$false";

        var stopped = _session.Run($"Update-DaprTrustBundle -Restart {Waves}");

        var error = Assert.Single(stopped.AllErrors);
        Assert.StartsWith("RolloutFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("Deployment prod-inventory/broken", error.Exception.Message);
        Assert.Contains("Done: write the trust bundle, restart Sentry, restart the control plane, restart namespace team-a.", error.Exception.Message);
        Assert.Contains("Not done: restart namespace prod-inventory, restart namespace prod-orders.", error.Exception.Message);
        Assert.Equal(new[] { "team-a/team-a", "prod-inventory/broken", "prod-inventory/inventory" }, Restarts().Skip(5).Take(1).Concat(Restarts().Skip(6).Order(StringComparer.Ordinal)));
        _server.Delete("apps", "v1", "deployments", "prod-inventory", "broken");
        _server.Requests.Reset();

        // The canary (team-a) and prod-inventory/inventory already trust the new root: only the control plane and prod-orders are left.
        var resumed = _session.Run($"Update-DaprTrustBundle -RestartOnly {Waves}").ThrowOnError();

        Assert.Contains(resumed.Information, i => i.StartsWith("Dapr trust bundle of dapr-system rolled out: 6 workloads restarted in order", StringComparison.Ordinal));
        Assert.Equal("prod-orders/orders", Restarts().Last());
        Assert.DoesNotContain(Restarts(), r => r.StartsWith("team-a/", StringComparison.Ordinal) || r.StartsWith("prod-inventory/", StringComparison.Ordinal));
        var newRoot = SecretText("ca.crt");
        Polling.Eventually(DaprPods, p => p.Count == 3 && p.All(x => TrustAnchors(x) == newRoot));
    }

    [Fact]
    public void A_paused_workload_is_refused_before_anything_is_written()
    {
        _server.Apply(AppDeployment("shop", "cart", null, paused: true));

        var error = Assert.Single(_session.Run("Update-DaprTrustBundle -Restart -Confirm:$false").AllErrors);

        Assert.StartsWith("WorkloadPaused,", error.FullyQualifiedErrorId);
        Assert.Contains("Deployment shop/cart", error.Exception.Message);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
    }

    [Fact]
    public void WhatIf_describes_every_step_and_changes_nothing()
    {
        var screen = _session.Render("Update-DaprTrustBundle -Restart -WhatIf");

        var whatIf = screen.Split('\n').Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, whatIf.Count);
        Assert.Contains("Replace the trust bundle with a new ECDSA P-256 root and issuer for trust domain cluster.local", whatIf[0]);
        Assert.Contains("on target \"secret dapr-system/dapr-trust-bundle and configmap dapr-system/dapr-trust-bundle\"", whatIf[0]);
        Assert.Contains("Restart Sentry so it loads the new bundle: Deployment dapr-sentry; wait for each rollout", whatIf[1]);
        Assert.Contains("Deployment dapr-operator, StatefulSet dapr-placement-server, StatefulSet dapr-scheduler-server, Deployment dapr-sidecar-injector", whatIf[2]);
        Assert.Contains("on target \"namespace prod-inventory\"", whatIf[3]);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Empty(Restarts());
    }

    [Fact]
    public void RootKeyPath_signs_a_new_issuer_under_the_current_root_and_keeps_ca_crt_so_no_pod_goes_stale()
    {
        var rootKey = Write("root.key", _seed.Root.PrivateKeyPem);

        var result = _session.Run("Update-DaprTrustBundle -RootKeyPath $k -KeyAlgorithm Ed25519 -Confirm:$false -PassThru", new Dictionary<string, object?> { ["k"] = rootKey }).ThrowOnError();

        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
        Assert.NotEqual(_seed.Issuer.CertificatePem, SecretText("issuer.crt"));
        Assert.Equal("Ed25519", result.Output[1].Properties["KeyAlgorithm"].Value);
        var checks = _session.Run("(Test-DaprMtls).Checks | Where-Object Result -ne Pass | ForEach-Object Name").ThrowOnError().Output;
        Assert.Empty(checks);
    }

    [Fact]
    public void A_root_key_that_belongs_to_no_current_root_changes_nothing()
    {
        var stranger = Write("stranger.key", TestPki.CreateRoot().PrivateKeyPem);

        var error = Assert.Single(_session.Run("Update-DaprTrustBundle -RootKeyPath $k -Confirm:$false", new Dictionary<string, object?> { ["k"] = stranger }).AllErrors);

        Assert.StartsWith("RootKeyMismatch,", error.FullyQualifiedErrorId);
        Assert.Equal(_seed.Issuer.CertificatePem, SecretText("issuer.crt"));
    }

    [Fact]
    public void Own_PEM_files_are_installed_as_given_and_an_invalid_set_is_refused_before_writing()
    {
        var root = TestPki.CreateRoot();
        var issuer = TestPki.CreateIssuer(root);
        var files = new Dictionary<string, object?>
        {
            ["r"] = Write("ca.crt", root.CertificatePem),
            ["i"] = Write("issuer.crt", issuer.CertificatePem),
            ["k"] = Write("issuer.key", issuer.PrivateKeyPem),
            ["wrong"] = Write("wrong.key", TestPki.CreateIssuer(root).PrivateKeyPem),
        };

        var refused = Assert.Single(_session.Run("Update-DaprTrustBundle -RootCertificatePath $r -IssuerCertificatePath $i -IssuerKeyPath $wrong -Confirm:$false", files).AllErrors);
        Assert.StartsWith("TrustBundleInvalid,", refused.FullyQualifiedErrorId);
        Assert.Contains("issuer.key is not the private key", refused.Exception.Message);
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));

        _session.Run("Update-DaprTrustBundle -RootCertificatePath $r -IssuerCertificatePath $i -IssuerKeyPath $k -Confirm:$false", files).ThrowOnError();
        Assert.Equal(root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(root.CertificatePem, ConfigMapRoot());
        Assert.Equal(issuer.CertificatePem, SecretText("issuer.crt"));
    }

    [Fact]
    public void Generated_certificates_use_daprsystems_trust_domain_and_the_saved_root_key_renews_the_issuer_later()
    {
        _server.Apply(TrustBundleManifests.MtlsConfiguration(Ns, trustDomain: "example.org"));
        var rootKey = Path.Combine(_directory, "keys", "root.key");

        var created = _session.Run("Update-DaprTrustBundle -ValidDays 90 -RootKeyOutputPath $k -Confirm:$false -PassThru", new Dictionary<string, object?> { ["k"] = rootKey }).ThrowOnError().Output;
        var renewed = _session.Run("Update-DaprTrustBundle -RootKeyPath $k -Confirm:$false -PassThru", new Dictionary<string, object?> { ["k"] = rootKey }).ThrowOnError().Output;

        Assert.Equal("O=example.org", created[0].Properties["Subject"].Value);
        Assert.Equal("O=spiffe://example.org/ns/dapr-system/dapr-sentry", created[1].Properties["Subject"].Value);
        Assert.Equal(89, created[0].Properties["DaysUntilExpiry"].Value);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(rootKey));
        }

        Assert.Equal(created[0].Properties["Thumbprint"].Value, renewed[0].Properties["Thumbprint"].Value);
        Assert.NotEqual(created[1].Properties["Thumbprint"].Value, renewed[1].Properties["Thumbprint"].Value);
    }

    [Fact]
    public void Before_writing_it_saves_every_key_of_the_Secret_and_the_ConfigMap_to_an_owner_only_recovery_file_it_names_but_never_shows()
    {
        var secretBefore = _server.Get("", "v1", "secrets", Ns, "dapr-trust-bundle")!["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

        var result = _session.Run("Update-DaprTrustBundle -Confirm:$false").ThrowOnError();

        var file = Assert.Single(Directory.GetFiles(_directory, "*.json"));
        Assert.Contains(result.Information, i => i.Contains($"Saved the current trust bundle to {file}", StringComparison.Ordinal) && i.Contains($"-RestoreFrom '{file}'", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var saved = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal(secretBefore, saved["secret"]!["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        Assert.Equal(_seed.Root.CertificatePem, saved["configMap"]!["data"]!["ca.crt"]!.GetValue<string>());
        Assert.DoesNotContain(_seed.Issuer.PrivateKeyPem.Split('\n')[1], result.AllText());
        Assert.NotEqual(_seed.Root.CertificatePem, SecretText("ca.crt"));
    }

    [Fact]
    public void BackupPath_names_the_file_and_an_existing_one_is_never_overwritten_so_nothing_is_written()
    {
        var path = new Dictionary<string, object?> { ["p"] = Path.Combine(_directory, "before-renewal.json") };
        _session.Run("Update-DaprTrustBundle -BackupPath $p -Confirm:$false", path).ThrowOnError();
        var renewed = SecretText("ca.crt");

        var error = Assert.Single(_session.Run("Update-DaprTrustBundle -BackupPath $p -Confirm:$false", path).AllErrors);

        Assert.StartsWith("FileExists,", error.FullyQualifiedErrorId);
        Assert.Equal(renewed, SecretText("ca.crt"));
        Assert.Equal(_seed.Root.CertificatePem, JsonNode.Parse(File.ReadAllText((string)path["p"]!))!["configMap"]!["data"]!["ca.crt"]!.GetValue<string>());
    }

    [Fact]
    public void RestoreFrom_shows_with_WhatIf_and_then_puts_the_saved_bundle_back_in_both_saving_the_replaced_one_first()
    {
        _session.Run("Update-DaprTrustBundle -Confirm:$false").ThrowOnError();
        var file = new Dictionary<string, object?> { ["f"] = Assert.Single(Directory.GetFiles(_directory, "*.json")) };
        var renewed = SecretText("issuer.key");

        var whatIf = _session.Render("Update-DaprTrustBundle -RestoreFrom $f -WhatIf", file);
        Assert.Contains($"Replace the trust bundle with the bundle saved in {file["f"]}", whatIf);
        Assert.Equal(renewed, SecretText("issuer.key"));

        _session.Run("Update-DaprTrustBundle -RestoreFrom $f -Confirm:$false", file).ThrowOnError();

        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Issuer.CertificatePem, SecretText("issuer.crt"));
        Assert.Equal(_seed.Issuer.PrivateKeyPem, SecretText("issuer.key"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
        Assert.Equal(2, Directory.GetFiles(_directory, "*.json").Length);
        Assert.Equal("Pass", _session.Run("(Test-DaprMtls).Verdict").ThrowOnError().Output.Single().ToString());
    }

    [Fact]
    public void RestoreFrom_refuses_anything_but_a_sound_recovery_file_of_this_control_plane_and_writes_nothing()
    {
        JsonObject Valid() => new()
        {
            ["kind"] = "DaprTrustBundleBackup",
            ["version"] = 1,
            ["namespace"] = Ns,
            ["secret"] = _server.Get("", "v1", "secrets", Ns, "dapr-trust-bundle"),
            ["configMap"] = _server.Get("", "v1", "configmaps", Ns, "dapr-trust-bundle"),
        };
        var otherKey = Convert.ToBase64String(Encoding.UTF8.GetBytes(TestPki.CreateIssuer(TestPki.CreateRoot()).PrivateKeyPem));
        var cases = new (string Content, string ErrorId, string Message)[]
        {
            ("not json at all", "TrustBundleBackupInvalid", "it is not JSON"),
            ("{\"kind\": \"Secret\"}", "TrustBundleBackupInvalid", "it is not a version 1 DaprTrustBundleBackup file"),
            (With(Valid(), b => b["secret"]!["data"]!.AsObject().Remove("issuer.key")), "TrustBundleBackupInvalid", "its Secret has no issuer.key"),
            (With(Valid(), b => b["namespace"] = "elsewhere"), "TrustBundleBackupInvalid", "instead of elsewhere/dapr-trust-bundle"),
            (With(Valid(), b => b.Remove("secret")), "TrustBundleBackupInvalid", "it holds no Secret"),
            (With(Valid(), b => b["secret"]!["data"]!["issuer.key"] = otherKey), "TrustBundleInvalid", "is not the private key"),
        };
        var writesBefore = _server.Requests.Count(r => r.Verb is "update" or "create" or "patch");

        foreach (var (content, errorId, message) in cases)
        {
            var path = Write("bad.json", content);
            var error = Assert.Single(_session.Run("Update-DaprTrustBundle -RestoreFrom $f -Confirm:$false", new Dictionary<string, object?> { ["f"] = path }).AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(message, error.Exception.Message);
        }

        Assert.Equal(writesBefore, _server.Requests.Count(r => r.Verb is "update" or "create" or "patch"));
        Assert.DoesNotContain(Directory.GetFiles(_directory, "*.json"), f => !f.EndsWith("bad.json", StringComparison.Ordinal));
    }

    [Fact]
    public void RestartOnly_refuses_to_restart_Sentry_while_the_ConfigMaps_ca_crt_differs_from_the_Secrets()
    {
        _server.Apply(TrustBundleManifests.Bundle(Ns, _seed.Root.CertificatePem, _seed.Issuer.CertificatePem, _seed.Issuer.PrivateKeyPem, configMapRoot: TestPki.CreateRoot().CertificatePem));

        var error = Assert.Single(_session.Run("Update-DaprTrustBundle -RestartOnly -Confirm:$false").AllErrors);

        Assert.StartsWith("TrustBundleInconsistent,", error.FullyQualifiedErrorId);
        Assert.Contains("Sentry was not restarted", error.Exception.Message);
        Assert.Contains("-RestoreFrom", error.ErrorDetails.RecommendedAction);
        Assert.Empty(Restarts());
    }

    [Fact]
    public void Restart_checks_the_bundle_again_before_Sentry_and_refuses_when_someone_changed_the_ConfigMap_meanwhile_naming_the_recovery_file()
    {
        var written = 0;
        var stranger = TrustBundleManifests.Bundle(Ns, _seed.Root.CertificatePem, _seed.Issuer.CertificatePem, _seed.Issuer.PrivateKeyPem, configMapRoot: TestPki.CreateRoot().CertificatePem);
        _server.Faults.Add(new FaultRule(FaultKind.InternalError)
        {
            When = r =>
            {
                if (r.Verb == "update" && r.Resource == "configmaps")
                {
                    Interlocked.Increment(ref written); // 1: the dry run, 2: the write
                }
                else if (r.Verb == "get" && r.Resource == "configmaps" && Interlocked.CompareExchange(ref written, 3, 2) == 2)
                {
                    _server.Apply(stranger); // someone else's change, between our write and our restart of Sentry
                }

                return false;
            },
        });

        var error = Assert.Single(_session.Run("Update-DaprTrustBundle -Restart -Confirm:$false").AllErrors);

        Assert.StartsWith("TrustBundleInconsistent,", error.FullyQualifiedErrorId);
        Assert.Contains($"The most recent recovery file is {Assert.Single(Directory.GetFiles(_directory, "*.json"))}", error.Exception.Message);
        Assert.Empty(Restarts());
    }

    [Fact]
    public void Ctrl_C_during_the_ConfigMap_write_puts_the_Secret_back_within_seconds_and_one_warning_says_so()
    {
        var updates = 0;
        var hang = _server.Faults.Add(new FaultRule(FaultKind.Hang) { Verb = "update", Resource = "configmaps", When = _ => Interlocked.Increment(ref updates) > 1 }); // the first is the dry run

        var stopped = _session.Stop("Update-DaprTrustBundle -Restart -Confirm:$false", until: () => hang.Fired > 0);

        Assert.Equal(PSInvocationState.Stopped, stopped.State);
        Assert.True(stopped.StopTook < TimeSpan.FromSeconds(15), $"stopping took {stopped.StopTook}");
        Assert.Equal(_seed.Root.CertificatePem, SecretText("ca.crt"));
        Assert.Equal(_seed.Issuer.PrivateKeyPem, SecretText("issuer.key"));
        Assert.Equal(_seed.Root.CertificatePem, ConfigMapRoot());
        Assert.Empty(Restarts());
        var warning = Assert.Single(stopped.HostWarnings);
        Assert.Equal(warning, Assert.Single(stopped.Result.Warnings));
        Assert.StartsWith("Update-DaprTrustBundle was stopped. Done: nothing. Not done (or not confirmed): secret dapr-system/dapr-trust-bundle and configmap dapr-system/dapr-trust-bundle, ", warning);
        Assert.Contains("the Secret was put back as it was, so the trust bundle is unchanged", warning);
        Assert.Contains($"Recovery file: {Assert.Single(Directory.GetFiles(_directory, "*.json"))}.", warning);
        Assert.EndsWith("To finish, run the same command again.", warning);
        Assert.Equal("CommandStopped", stopped.LastError!.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(warning, stopped.LastError.Exception.Message);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _session?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string SecretText(string key) => TrustBundleManifests.SecretText(_server, Ns, key);

    private string? ConfigMapRoot() => TrustBundleManifests.ConfigMapRoot(_server, Ns);

    private List<JsonObject> DaprPods()
        => _server.List("", "v1", "pods").Where(p => p["metadata"]?["labels"]?["dapr.io/sidecar-injected"] is not null && p["metadata"]?["deletionTimestamp"] is null).ToList();

    private static string? TrustAnchors(JsonObject pod)
        => pod["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "daprd")!["env"]!.AsArray()
            .Single(e => e!["name"]!.GetValue<string>() == "DAPR_TRUST_ANCHORS")!["value"]!.GetValue<string>();

    /// <summary>The workloads restarted, in the order their restart patches reached the server.</summary>
    private List<string> Restarts()
        => _server.Requests.Entries.Where(r => r.Verb == "patch" && r.Resource is "deployments" or "statefulsets").OrderBy(r => r.Time).Select(r => $"{r.Namespace}/{r.Name}").ToList();

    private static string With(JsonObject bundle, Action<JsonObject> change)
    {
        change(bundle);
        return bundle.ToJsonString();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string AppDeployment(string ns, string name, string? annotation, bool paused = false) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {{ns}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          namespace: {{ns}}
        spec:
          paused: {{(paused ? "true" : "false")}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
              annotations:
                dapr.io/enabled: "true"
                dapr.io/app-id: {{name}}
                {{annotation ?? ""}}
            spec:
              containers:
              - name: {{name}}
                image: example/{{name}}:1
        """;
}
