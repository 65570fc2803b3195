using System.Text;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Module.Tests.Infrastructure;
using DaprSecurity.Output;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Mtls;

public sealed class MtlsChecksTests
{
    private static readonly MtlsSettings DefaultSettings = new(true, true, "24h", "15m", "cluster.local");
    private static readonly DaprControlPlaneComponent HealthySentry = Sentry();

    private readonly TestCertificate _root = TestPki.CreateRoot();

    [Fact]
    public void A_healthy_bundle_passes_every_check()
    {
        var issuer = TestPki.CreateIssuer(_root);

        var checks = Run(Bundle(_root, issuer), pods: new[] { Pod("a", _root.CertificatePem) });

        Assert.All(checks, c => Assert.True(c.Result == DaprCheckResult.Pass, $"{c.Name}: {c.Detail}"));
        Assert.Equal(
            new[] { "MtlsEnabled", "WorkloadCertTtl", "AllowedClockSkew", "SentryHealthy", "TrustBundleSecret", "TrustBundleConfigMap", "IssuerChain", "IssuerKey", "RootValidity", "IssuerValidity", "TrustAnchorsCurrent", "SidecarMtls" },
            checks.Select(c => c.Name));
    }

    [Fact]
    public void An_expired_issuer_under_a_valid_root_fails_IssuerValidity_only()
    {
        var root = TestPki.CreateRoot(notBefore: DateTimeOffset.UtcNow.AddDays(-400));
        var issuer = TestPki.CreateIssuer(root, notAfter: DateTimeOffset.UtcNow.AddDays(-3).AddHours(-1));

        var checks = Run(Bundle(root, issuer));

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "IssuerValidity"));
        Assert.Contains("expired", Detail(checks, "IssuerValidity"));
        Assert.Contains("3 days ago", Detail(checks, "IssuerValidity"));
        Assert.Equal(DaprCheckResult.Pass, Result(checks, "RootValidity"));
        Assert.Equal(DaprCheckResult.Pass, Result(checks, "IssuerChain"));
    }

    [Fact]
    public void A_root_expiring_in_10_days_warns_with_the_days_left_and_respects_WarningDays()
    {
        var root = TestPki.CreateRoot(notAfter: DateTimeOffset.UtcNow.AddDays(10).AddHours(1));
        var issuer = TestPki.CreateIssuer(root);

        var checks = Run(Bundle(root, issuer));
        var relaxed = Run(Bundle(root, issuer), warningDays: 7);

        Assert.Equal(DaprCheckResult.Warning, Result(checks, "RootValidity"));
        Assert.Contains("expires in 10 days", Detail(checks, "RootValidity"));
        Assert.Equal(DaprCheckResult.Warning, Result(checks, "IssuerValidity"));
        Assert.Equal(DaprCheckResult.Pass, Result(relaxed, "RootValidity"));
    }

    [Fact]
    public void A_not_yet_valid_issuer_fails()
    {
        var issuer = TestPki.CreateIssuer(_root, notBefore: DateTimeOffset.UtcNow.AddDays(2));

        var checks = Run(Bundle(_root, issuer));

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "IssuerValidity"));
        Assert.Contains("not valid yet", Detail(checks, "IssuerValidity"));
    }

    [Fact]
    public void An_issuer_signed_by_another_root_fails_IssuerChain()
    {
        var other = TestPki.CreateRoot();
        var issuer = TestPki.CreateIssuer(other);

        var checks = Run(Bundle(_root, issuer));

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "IssuerChain"));
        Assert.Contains("not signed by the root", Detail(checks, "IssuerChain"));
        Assert.Equal(DaprCheckResult.Pass, Result(checks, "IssuerKey"));
    }

    [Fact]
    public void A_key_that_is_not_the_issuers_fails_IssuerKey()
    {
        var issuer = TestPki.CreateIssuer(_root);
        var stranger = TestPki.CreateIssuer(_root);

        var checks = Run(Bundle(_root, issuer, keyPem: stranger.PrivateKeyPem));

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "IssuerKey"));
        Assert.Equal(DaprCheckResult.Pass, Result(checks, "IssuerChain"));
    }

    [Fact]
    public void A_ConfigMap_that_differs_from_the_Secret_fails_and_explains_that_Sentry_regenerates_the_CA()
    {
        var issuer = TestPki.CreateIssuer(_root);

        var differing = Run(Bundle(_root, issuer, configMapRoot: TestPki.CreateRoot().CertificatePem));
        var reformatted = Run(Bundle(_root, issuer, configMapRoot: _root.CertificatePem.TrimEnd('\n')));
        var missing = Run(new StoredTrustBundle("dapr-system", Bundle(_root, issuer).Secret, null));

        Assert.Equal(DaprCheckResult.Fail, Result(differing, "TrustBundleConfigMap"));
        Assert.Contains("Sentry silently generates a new CA", Detail(differing, "TrustBundleConfigMap"));
        Assert.Equal(DaprCheckResult.Fail, Result(reformatted, "TrustBundleConfigMap"));
        Assert.Equal(DaprCheckResult.Fail, Result(missing, "TrustBundleConfigMap"));
    }

    [Fact]
    public void A_missing_ConfigMap_is_fine_before_Dapr_1_12()
    {
        var issuer = TestPki.CreateIssuer(_root);

        var checks = Run(new StoredTrustBundle("dapr-system", Bundle(_root, issuer).Secret, null));
        var old = Run(new StoredTrustBundle("dapr-system", Bundle(_root, issuer).Secret, null), sentry: Sentry(version: "1.11.3"));

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "TrustBundleConfigMap"));
        Assert.Equal(DaprCheckResult.Pass, Result(old, "TrustBundleConfigMap"));
    }

    [Fact]
    public void A_Secret_without_issuer_key_fails_TrustBundleSecret_and_IssuerKey()
    {
        var issuer = TestPki.CreateIssuer(_root);
        var bundle = Bundle(_root, issuer);
        bundle.Secret!.Data.Remove("issuer.key");

        var checks = Run(bundle);

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "TrustBundleSecret"));
        Assert.Contains("issuer.key", Detail(checks, "TrustBundleSecret"));
        Assert.Equal(DaprCheckResult.Fail, Result(checks, "IssuerKey"));
    }

    [Theory]
    [InlineData(false, DaprCheckResult.Fail)]
    [InlineData(null, DaprCheckResult.Pass)]
    public void mTLS_disabled_fails_and_unset_means_Daprs_default_of_enabled(bool? enabled, DaprCheckResult expected)
    {
        var checks = Run(Bundle(_root, TestPki.CreateIssuer(_root)), settings: DefaultSettings with { Enabled = enabled });

        Assert.Equal(expected, Result(checks, "MtlsEnabled"));
    }

    [Theory]
    [InlineData("24h", "15m", DaprCheckResult.Pass, DaprCheckResult.Pass)]
    [InlineData("forever", "15m", DaprCheckResult.Fail, DaprCheckResult.Pass)]
    [InlineData("2m", "-1m", DaprCheckResult.Warning, DaprCheckResult.Fail)]
    [InlineData("720h", "3h", DaprCheckResult.Warning, DaprCheckResult.Warning)]
    public void Workload_certificate_TTL_and_clock_skew_must_parse_and_be_sane(string ttl, string skew, DaprCheckResult ttlResult, DaprCheckResult skewResult)
    {
        var checks = Run(Bundle(_root, TestPki.CreateIssuer(_root)), settings: DefaultSettings with { WorkloadCertTtl = ttl, AllowedClockSkew = skew });

        Assert.Equal(ttlResult, Result(checks, "WorkloadCertTtl"));
        Assert.Equal(skewResult, Result(checks, "AllowedClockSkew"));
    }

    [Fact]
    public void An_unhealthy_or_missing_Sentry_fails()
    {
        var bundle = Bundle(_root, TestPki.CreateIssuer(_root));

        Assert.Equal(DaprCheckResult.Fail, Result(MtlsChecks.Run(Evidence(bundle, Array.Empty<V1Pod>(), 30, DefaultSettings, null)), "SentryHealthy"));
        Assert.Equal(DaprCheckResult.Fail, Result(Run(bundle, sentry: Sentry(healthy: false, status: "Waiting (CrashLoopBackOff)", ready: 0)), "SentryHealthy"));
    }

    [Fact]
    public void Pods_injected_with_old_trust_anchors_fail_and_are_named()
    {
        var old = TestPki.CreateRoot();
        var pods = new[] { Pod("fresh", _root.CertificatePem), Pod("stale", old.CertificatePem), Pod("terminating", old.CertificatePem, deleting: true), Pod("done", old.CertificatePem, phase: "Succeeded") };

        var checks = Run(Bundle(_root, TestPki.CreateIssuer(_root)), pods: pods);

        Assert.Equal(DaprCheckResult.Fail, Result(checks, "TrustAnchorsCurrent"));
        Assert.Contains("1 of 2 running Dapr pods", Detail(checks, "TrustAnchorsCurrent"));
        Assert.Contains("apps/stale", Detail(checks, "TrustAnchorsCurrent"));
        Assert.DoesNotContain("apps/fresh", Detail(checks, "TrustAnchorsCurrent"));
    }

    [Fact]
    public void Trust_anchors_compare_by_certificate_not_by_text_layout()
    {
        var pods = new[] { Pod("a", "comment line\r\n" + _root.CertificatePem.Replace("\n", "\r\n")) };

        var checks = Run(Bundle(_root, TestPki.CreateIssuer(_root)), pods: pods);

        Assert.Equal(DaprCheckResult.Pass, Result(checks, "TrustAnchorsCurrent"));
    }

    [Fact]
    public void Pods_without_enable_mtls_warn()
    {
        var pods = new[] { Pod("secure", _root.CertificatePem), Pod("plain", _root.CertificatePem, mtls: false), Pod("off", _root.CertificatePem, mtls: false, extraArgs: "--enable-mtls=false") };

        var checks = Run(Bundle(_root, TestPki.CreateIssuer(_root)), pods: pods);

        Assert.Equal(DaprCheckResult.Warning, Result(checks, "SidecarMtls"));
        Assert.Contains("2 of 3", Detail(checks, "SidecarMtls"));
        Assert.Contains("apps/plain", Detail(checks, "SidecarMtls"));
    }

    [Fact]
    public void Without_permission_to_list_pods_the_pod_checks_warn_and_say_why()
    {
        var evidence = Evidence(Bundle(_root, TestPki.CreateIssuer(_root)), null, 30, DefaultSettings, HealthySentry) with { DaprPodsError = "pods is forbidden" };

        var checks = MtlsChecks.Run(evidence);

        Assert.Equal(DaprCheckResult.Warning, Result(checks, "TrustAnchorsCurrent"));
        Assert.Contains("pods is forbidden", Detail(checks, "SidecarMtls"));
        Assert.Equal(DaprCheckResult.Pass, Result(checks, "IssuerChain"));
    }

    private static IReadOnlyList<DaprMtlsCheck> Run(StoredTrustBundle bundle, IReadOnlyList<V1Pod>? pods = null, int warningDays = 30, MtlsSettings? settings = null, DaprControlPlaneComponent? sentry = null)
        => MtlsChecks.Run(Evidence(bundle, pods ?? Array.Empty<V1Pod>(), warningDays, settings ?? DefaultSettings, sentry ?? HealthySentry));

    private static MtlsEvidence Evidence(StoredTrustBundle bundle, IReadOnlyList<V1Pod>? pods, int warningDays, MtlsSettings settings, DaprControlPlaneComponent? sentry)
        => new(new DaprControlPlane("dapr-system", settings), sentry, bundle, pods, DateTime.UtcNow, warningDays);

    private static DaprControlPlaneComponent Sentry(string version = "1.16.2", bool healthy = true, string status = "Running", int ready = 1)
        => new() { Name = "dapr-sentry", Namespace = "dapr-system", Healthy = healthy, Status = status, ReadyReplicas = ready, DesiredReplicas = 1, Version = version };

    private static StoredTrustBundle Bundle(TestCertificate root, TestCertificate issuer, string? keyPem = null, string? configMapRoot = null) => new(
        "dapr-system",
        new V1Secret
        {
            Data = new Dictionary<string, byte[]>
            {
                ["ca.crt"] = Encoding.UTF8.GetBytes(root.CertificatePem),
                ["issuer.crt"] = Encoding.UTF8.GetBytes(issuer.CertificatePem),
                ["issuer.key"] = Encoding.UTF8.GetBytes(keyPem ?? issuer.PrivateKeyPem),
            },
        },
        new V1ConfigMap { Data = new Dictionary<string, string> { ["ca.crt"] = configMapRoot ?? root.CertificatePem } });

    private static V1Pod Pod(string name, string trustAnchors, bool mtls = true, bool deleting = false, string phase = "Running", string? extraArgs = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "apps", DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        Spec = new V1PodSpec
        {
            Containers = new List<V1Container>
            {
                new() { Name = "app" },
                new()
                {
                    Name = "daprd",
                    Args = new[] { "--mode", "kubernetes", mtls ? "--enable-mtls" : "--log-level", extraArgs ?? "info" }.ToList(),
                    Env = new List<V1EnvVar> { new() { Name = "DAPR_TRUST_ANCHORS", Value = trustAnchors } },
                },
            },
        },
        Status = new V1PodStatus { Phase = phase },
    };

    private static DaprCheckResult Result(IEnumerable<DaprMtlsCheck> checks, string name) => checks.Single(c => c.Name == name).Result;

    private static string Detail(IEnumerable<DaprMtlsCheck> checks, string name) => checks.Single(c => c.Name == name).Detail;
}
