using DaprSecurity.KubeApiServer.Security;
using System.Management.Automation;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>
/// Test-DaprMtls against the seeded cluster. Every test writes the whole state it relies on (trust bundle and daprsystem
/// Configuration) before checking, so the order the tests run in does not matter.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class TestDaprMtlsTests : IClassFixture<ClusterFixture>, IDisposable
{
    private const string Ns = "dapr-system";
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public TestDaprMtlsTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
        Apply(TrustBundleManifests.MtlsConfiguration(Ns));
        GetDaprControlPlaneTests.Eventually(() => _cluster.Server.List("", "v1", "pods").Count(p => p["metadata"]?["labels"]?["dapr.io/sidecar-injected"] is not null), n => n >= 3);
    }

    [Fact]
    public void The_seeded_healthy_bundle_passes_every_check()
    {
        Apply(TrustBundleManifests.Bundle(Ns, _cluster.Seed.Root.CertificatePem, _cluster.Seed.Issuer.CertificatePem, _cluster.Seed.Issuer.PrivateKeyPem));

        var report = GetDaprControlPlaneTests.Eventually(() => Run(), r => r.Properties["Verdict"].Value.ToString() == "Pass");

        Assert.Equal("Pass", report.Properties["Verdict"].Value.ToString());
        Assert.Equal(12, Checks(report).Count);
        Assert.Equal(Ns, report.Properties["Namespace"].Value);
        Assert.Equal(0, report.Properties["Failed"].Value);
        Assert.Contains("All 3 running Dapr sidecars trust the current ca.crt", Detail(report, "TrustAnchorsCurrent"));
        Assert.Equal("DaprSecurity.Output.DaprMtlsReport", report.TypeNames[0]);
        Assert.Equal(true, Assert.Single(_session.Run("Test-DaprMtls -Quiet").ThrowOnError().Output).BaseObject);
    }

    [Fact]
    public void An_identity_that_may_not_read_the_Secret_still_gets_the_root_and_sidecar_checks()
    {
        Apply(TrustBundleManifests.Bundle(Ns, _cluster.Seed.Root.CertificatePem, _cluster.Seed.Issuer.CertificatePem, _cluster.Seed.Issuer.PrivateKeyPem));
        _cluster.Server.AddUser("monitor", "monitor-token", AccessRule.Forbid("get,list,watch", "secrets", Ns));
        using var files = new KubeConfigFiles();
        using var monitor = new PowerShellSession(kubeConfig: _cluster.Server.WriteKubeconfig(Path.Combine(files.Directory, "monitor"), "monitor"));

        var report = monitor.Run("Test-DaprMtls").ThrowOnError().Output.Single();

        Assert.Equal("Warning", report.Properties["Verdict"].Value.ToString());
        Assert.Equal("Pass", Result(report, "RootValidity"));
        Assert.Equal("Pass", Result(report, "TrustAnchorsCurrent"));
        Assert.Equal("Pass", Result(report, "SentryHealthy"));
        Assert.All(new[] { "TrustBundleSecret", "TrustBundleConfigMap", "IssuerChain", "IssuerKey", "IssuerValidity" }, name => Assert.Equal("Warning", Result(report, name)));
        Assert.Contains("could not be read", Detail(report, "IssuerValidity"));
    }

    [Fact]
    public void An_expired_issuer_under_a_valid_root_fails_and_Quiet_returns_false()
    {
        var root = TestPki.CreateRoot(notBefore: DateTimeOffset.UtcNow.AddDays(-500));
        Apply(TrustBundleManifests.Bundle(Ns, root, TestPki.CreateIssuer(root, notAfter: DateTimeOffset.UtcNow.AddDays(-2))));

        var report = Run();

        Assert.Equal("Fail", report.Properties["Verdict"].Value.ToString());
        Assert.Equal("Fail", Result(report, "IssuerValidity"));
        Assert.Contains("expired", Detail(report, "IssuerValidity"));
        Assert.Equal("Pass", Result(report, "RootValidity"));
        Assert.Equal(false, Assert.Single(_session.Run("Test-DaprMtls -Quiet").ThrowOnError().Output).BaseObject);
    }

    [Fact]
    public void A_root_expiring_in_10_days_warns_with_the_days_left()
    {
        var root = TestPki.CreateRoot(notAfter: DateTimeOffset.UtcNow.AddDays(10).AddHours(2));
        Apply(TrustBundleManifests.Bundle(Ns, root, TestPki.CreateIssuer(root)));

        var report = Run();
        var relaxed = Run("-WarningDays 5");

        Assert.Equal("Warning", Result(report, "RootValidity"));
        Assert.Contains("expires in 10 days", Detail(report, "RootValidity"));
        Assert.Equal("Warning", Result(report, "IssuerValidity"));
        Assert.Equal("Pass", Result(relaxed, "RootValidity"));
    }

    [Fact]
    public void An_issuer_not_signed_by_the_root_fails_IssuerChain()
    {
        var root = TestPki.CreateRoot();
        Apply(TrustBundleManifests.Bundle(Ns, root, TestPki.CreateIssuer(TestPki.CreateRoot())));

        var report = Run();

        Assert.Equal("Fail", Result(report, "IssuerChain"));
        Assert.Contains("not signed by the root", Detail(report, "IssuerChain"));
    }

    [Fact]
    public void A_key_that_does_not_match_the_issuer_fails_IssuerKey()
    {
        var root = TestPki.CreateRoot();
        var issuer = TestPki.CreateIssuer(root);
        Apply(TrustBundleManifests.Bundle(Ns, root.CertificatePem, issuer.CertificatePem, TestPki.CreateIssuer(root).PrivateKeyPem));

        var report = Run();

        Assert.Equal("Fail", Result(report, "IssuerKey"));
        Assert.Equal("Pass", Result(report, "IssuerChain"));
        Assert.DoesNotContain(issuer.PrivateKeyPem.Split('\n')[1], _session.Run("Test-DaprMtls -Verbose").AllText());
    }

    [Fact]
    public void A_ConfigMap_that_differs_from_the_Secret_fails_with_the_reason()
    {
        var seed = _cluster.Seed;
        Apply(TrustBundleManifests.Bundle(Ns, seed.Root.CertificatePem, seed.Issuer.CertificatePem, seed.Issuer.PrivateKeyPem, configMapRoot: TestPki.CreateRoot().CertificatePem));

        var report = Run();

        Assert.Equal("Fail", Result(report, "TrustBundleConfigMap"));
        Assert.Contains("Sentry silently generates a new CA", Detail(report, "TrustBundleConfigMap"));
    }

    [Fact]
    public void mTLS_disabled_in_daprsystem_fails_MtlsEnabled()
    {
        var seed = _cluster.Seed;
        Apply(TrustBundleManifests.Bundle(Ns, seed.Root.CertificatePem, seed.Issuer.CertificatePem, seed.Issuer.PrivateKeyPem));
        Apply(TrustBundleManifests.MtlsConfiguration(Ns, enabled: false));

        var report = Run();

        Assert.Equal("Fail", Result(report, "MtlsEnabled"));
        Assert.Contains("disabled", Detail(report, "MtlsEnabled"));
    }

    [Fact]
    public void Pods_injected_before_the_root_changed_fail_TrustAnchorsCurrent()
    {
        var root = TestPki.CreateRoot();
        Apply(TrustBundleManifests.Bundle(Ns, root, TestPki.CreateIssuer(root)));

        var report = Run();

        Assert.Equal("Fail", Result(report, "TrustAnchorsCurrent"));
        Assert.Contains("3 of 3 running Dapr pods", Detail(report, "TrustAnchorsCurrent"));
        Assert.Contains("prod-orders/orders-", Detail(report, "TrustAnchorsCurrent"));
    }

    [Fact]
    public void In_Azure_Pipelines_warnings_and_failures_become_logissue_lines_that_cluster_text_cannot_hijack()
    {
        var root = TestPki.CreateRoot(notAfter: DateTimeOffset.UtcNow.AddDays(12));
        Apply(TrustBundleManifests.Bundle(Ns, root, TestPki.CreateIssuer(root)));
        Apply(TrustBundleManifests.MtlsConfiguration(Ns, workloadCertTtl: "1h]##vso[task.complete result=Succeeded]\n##[error]forged;x"));

        var result = _session.Run("$env:TF_BUILD = 'True'; try { Test-DaprMtls } finally { $env:TF_BUILD = $null }").ThrowOnError();

        var lines = result.Information.SelectMany(i => i.Split('\n')).ToList();
        Assert.Contains(lines, l => l.StartsWith("##vso[task.logissue type=warning;code=DaprMtls.RootValidity]", StringComparison.Ordinal) && l.Contains("expires in 11 days"));
        var ttl = Assert.Single(lines, l => l.StartsWith("##vso[task.logissue type=error;code=DaprMtls.WorkloadCertTtl]", StringComparison.Ordinal));
        Assert.True(ttl.Contains(@"1h%5D\#\#vso[task.complete result=Succeeded%5D\n\#\#[error%5Dforged%3Bx"), ttl);
        Assert.All(lines, l => Assert.True(l.IndexOf("##vso[", 1, StringComparison.OrdinalIgnoreCase) < 0 && !l.Contains("##["), l));
        Assert.DoesNotContain(lines, l => l.Contains("code=DaprMtls.IssuerChain"));
        Assert.Empty(_session.Run("Test-DaprMtls").Information);
    }

    public void Dispose() => _session.Dispose();

    private void Apply(string yaml) => _cluster.Server.Apply(yaml);

    private PSObject Run(string parameters = "") => Assert.Single(_session.Run("Test-DaprMtls " + parameters).ThrowOnError().Output);

    private static IReadOnlyList<PSObject> Checks(PSObject report) => ((System.Collections.IEnumerable)report.Properties["Checks"].Value).Cast<object>().Select(PSObject.AsPSObject).ToList();

    private static PSObject Check(PSObject report, string name) => Checks(report).Single(c => (string)c.Properties["Name"].Value == name);

    private static string Result(PSObject report, string name) => Check(report, name).Properties["Result"].Value.ToString()!;

    private static string Detail(PSObject report, string name) => (string)Check(report, name).Properties["Detail"].Value;
}
