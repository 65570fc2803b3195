using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaprSecurity.Engine.Tests.Audit;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Audit;

/// <summary>
/// Every fixture of every rule applied to the test API server, in a namespace of its own, and audited with
/// Test-DaprSecurity. The mTLS fixtures bring a control plane of their own (__CONTROL_PLANE__, with the seed's trust
/// bundle, or certificates the fixture names) and are audited with -ControlPlaneNamespace; each namespace is deleted
/// after its run, so a broken control plane or a stale sidecar never reaches another fixture.
/// </summary>
// Stays in xunit: the fixtures are rendered by the C# the engine's rule tests share (AuditFixtures: placeholders,
// expected messages, the rule list), and their __CONTROL_PLANE__ is a control plane rendered into the fixture's own
// namespace by the server's seed renderer (DaprSeed.Render) with the seed's trust bundle; no admin route renders a
// control plane, so Pester would need a PowerShell twin of both.
public sealed class RuleFixtureClusterTests : IClassFixture<ClusterFixture>, IDisposable
{
    private const string ControlPlaneMarker = "__CONTROL_PLANE__";

    /// <summary>Certificates the mTLS fixtures name: another CA, an expired one, and one whose issuer has lapsed.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, TrustBundle>> s_bundles = new(() => new Dictionary<string, TrustBundle>
    {
        ["OTHER"] = TrustBundle.Generate("cluster.local", "dapr-system", TimeSpan.FromDays(365), TimeSpan.FromMinutes(15)),
        ["EXPIRED"] = TrustBundle.Generate("cluster.local", "dapr-system", TimeSpan.FromDays(-1), TimeSpan.FromDays(30)),
        ["LAPSED"] = TrustBundle.Generate("cluster.local", "dapr-system", TimeSpan.FromDays(365), TimeSpan.FromDays(30), issuerValidity: TimeSpan.FromDays(-1)),
    });

    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public RuleFixtureClusterTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    /// <summary>Every fixture but the failing one of DAPR-AUDIT-002 (a file that does not parse; the cluster's is a forbidden list, below).</summary>
    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (ruleId, fixture) in AuditFixtures.All().Where(f => f != ("DAPR-AUDIT-002", "fail")))
        {
            data.Add(ruleId, fixture);
        }

        return data;
    }

    [Fact]
    public void Every_rule_Get_DaprSecurityRule_lists_has_a_passing_and_a_failing_fixture()
    {
        var ids = _session.Run("Get-DaprSecurityRule | ForEach-Object Id").ThrowOnError().Output.Select(o => o.ToString()).ToList();

        Assert.NotEmpty(ids);
        var missing = ids.SelectMany(id => new[] { "pass", "fail" }.Where(f => !AuditFixtures.Exists(id, f)).Select(f => $"{id}/{f}.yaml")).ToList();
        Assert.True(missing.Count == 0, $"Fixtures missing under tests/AuditFixtures: {string.Join(", ", missing)}");
        Assert.Equal(ids.Order(StringComparer.Ordinal), AuditFixtures.RuleIds());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_fixture_passes_or_fails_its_rule_in_the_cluster(string ruleId, string fixture)
    {
        var results = Audit(ruleId, fixture);

        if (AuditFixtures.IsFailing(fixture))
        {
            var failure = results.FirstOrDefault(r => r.Outcome == "Fail");
            Assert.True(failure != default, $"{ruleId} did not fail for {fixture}.yaml: {string.Join(" | ", results)}");
            if (AuditFixtures.ExpectedMessage(ruleId, fixture) is { } expected)
            {
                Assert.Contains(expected, failure.Message);
            }
        }
        else
        {
            Assert.DoesNotContain(results, r => r.Outcome is "Fail" or "Error");
            Assert.True(ruleId.StartsWith("DAPR-AUDIT-", StringComparison.Ordinal) || results.Any(r => r.Outcome == "Pass"), $"{ruleId} has no passing result for {fixture}.yaml: {string.Join(" | ", results)}");
        }
    }

    [Fact]
    public void A_list_the_identity_may_not_read_fails_DAPR_AUDIT_002_and_the_gate()
    {
        var ns = _cluster.NewNamespace("audit");
        _cluster.Server.Apply(AuditFixtures.Text("DAPR-AUDIT-002", "pass", ns));
        _cluster.Server.AddUser("no-secrets", "no-secrets-token", AccessRule.Forbid("list", "secrets"));
        var kubeconfig = _cluster.Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"daprsec-{Guid.NewGuid():N}", "config"), "no-secrets");
        try
        {
            var run = _session.Run(
                "$all = @(Test-DaprSecurity -KubeConfig $kc -Namespace $ns); ($all | Where-Object RuleId -eq 'DAPR-AUDIT-002').Outcome; Test-DaprSecurity -KubeConfig $kc -Namespace $ns -Quiet",
                new Dictionary<string, object?> { ["kc"] = kubeconfig, ["ns"] = ns });

            Assert.Equal(new object[] { "Error", false }, run.Output.Select(o => o.BaseObject is bool b ? b : (object)o.ToString()));
            Assert.Contains(run.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("KubeApiForbidden,", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
            _cluster.Server.Delete("", "v1", "namespaces", null, ns);
        }
    }

    [Fact]
    public void An_identity_that_may_not_list_cluster_wide_gets_the_same_results_from_lists_per_namespace()
    {
        _cluster.Server.AddUser("per-namespace", "per-namespace-token", AccessRule.ForbidClusterWide("list,watch", "deployments,statefulsets,daemonsets,pods,services,ingresses,secrets,components,configurations"));
        var kubeconfig = _cluster.Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"daprsec-{Guid.NewGuid():N}", "config"), "per-namespace");
        var namespaces = _cluster.Seed.AppNamespaces.Take(2).ToArray();
        const string Script = "Test-DaprSecurity -Namespace $ns -ControlPlaneNamespace $cp -IncludePass @extra | Where-Object Area -ne MTLS | ForEach-Object { \"$($_.RuleId) $($_.Outcome) $($_.Namespace)/$($_.Kind)/$($_.Name) $($_.Message)\" }";
        try
        {
            var variables = new Dictionary<string, object?> { ["ns"] = namespaces, ["cp"] = _cluster.Seed.ControlPlaneNamespace, ["extra"] = new Dictionary<string, object?>() };
            var admin = _session.Run(Script, variables).ThrowOnError().Output.Select(o => o.ToString()).ToList();
            variables["extra"] = new Dictionary<string, object?> { ["KubeConfig"] = kubeconfig };
            _cluster.Server.Requests.Reset();
            var restricted = _session.Run(Script, variables);

            Assert.DoesNotContain(restricted.Output, o => o.ToString().StartsWith("DAPR-AUDIT-002", StringComparison.Ordinal));
            Assert.Equal(admin.Order(StringComparer.Ordinal), restricted.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal));
            Assert.Contains(namespaces, ns => admin.Any(r => r.Contains($" {ns}/", StringComparison.Ordinal)));
            Assert.Equal(
                namespaces.Append(_cluster.Seed.ControlPlaneNamespace).Order(StringComparer.Ordinal),
                _cluster.Server.Requests.Entries.Where(r => r.Resource == "components" && r.StatusCode == 200).Select(r => r.Namespace!).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
        }
    }

    [Fact]
    public void A_namespace_pattern_that_matches_nothing_is_an_error_and_the_gate_fails()
    {
        var result = _session.Run("Test-DaprSecurity -Namespace no-such-* -Quiet");

        Assert.Equal(false, Assert.Single(result.Output).BaseObject);
        Assert.StartsWith("NamespaceNotMatched,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void An_unreachable_cluster_is_an_error_and_the_gate_fails()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"daprsec-unreachable-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(kubeconfig, File.ReadAllText(_cluster.KubeConfig).Replace($":{_cluster.Server.Port}", ":1"));
        try
        {
            var result = _session.Run("Test-DaprSecurity -KubeConfig $kc -Quiet", new Dictionary<string, object?> { ["kc"] = kubeconfig });

            Assert.Equal(false, Assert.Single(result.Output).BaseObject);
            Assert.NotEmpty(result.AllErrors);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    /// <summary>Applies the fixture in a namespace of its own and returns the rule's results there (an mTLS rule's, wherever they point).</summary>
    private IReadOnlyList<(string Outcome, string Message)> Audit(string ruleId, string fixture)
    {
        var ns = _cluster.NewNamespace("audit");
        var ownControlPlane = File.ReadAllText(Path.Combine(AuditFixtures.Folder, ruleId, fixture + ".yaml")).Contains(ControlPlaneMarker, StringComparison.Ordinal);
        try
        {
            _cluster.Server.Apply(AuditFixtures.Text(ruleId, fixture, ns, Placeholders(ns)));
            WaitForWorkloads(ns);
            var script = "Test-DaprSecurity -Namespace $ns -IncludePass" + (ownControlPlane ? " -ControlPlaneNamespace $ns" : "")
                + " | Where-Object { $_.RuleId -eq $rule -and ($_.Namespace -eq $ns -or $_.Area -eq 'MTLS') } | ForEach-Object { \"$($_.Outcome)`t$($_.Message)\" }";
            return _session.Run(script, new Dictionary<string, object?> { ["ns"] = ns, ["rule"] = ruleId }).ThrowOnError().Output
                .Select(o => o.ToString().Split('\t', 2))
                .Select(p => (p[0], p[1]))
                .ToList();
        }
        finally
        {
            _cluster.Server.Delete("", "v1", "namespaces", null, ns);
        }
    }

    /// <summary>__CONTROL_PLANE__ (the seed's control plane, rendered into <paramref name="ns"/>) and __&lt;BUNDLE&gt;_&lt;PART&gt;_B64__ / _PEM__ certificates.</summary>
    private Dictionary<string, string> Placeholders(string ns)
    {
        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ControlPlaneMarker] = DaprSeed.Render(new DaprSeedOptions { ControlPlaneNamespace = ns, AppNamespaces = [] }, _cluster.Seed.TrustBundle),
        };
        foreach (var (name, bundle) in s_bundles.Value.Append(new("SEED", _cluster.Seed.TrustBundle)))
        {
            foreach (var (part, pem) in new[] { ("ROOT_CRT", bundle.Root.CertificatePem), ("ISSUER_CRT", bundle.Issuer.CertificatePem), ("ISSUER_KEY", bundle.Issuer.PrivateKeyPem) })
            {
                placeholders[$"__{name}_{part}_B64__"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
                placeholders[$"__{name}_{part}_PEM__"] = JsonSerializer.Serialize(pem);
            }
        }

        return placeholders;
    }

    /// <summary>Rules that look at running pods and at Sentry's readiness need the controllers to have settled the fixture's workloads.</summary>
    private void WaitForWorkloads(string ns)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Settled(ns))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The workloads in {ns} did not settle within 30 s.");
            Thread.Sleep(50);
        }
    }

    /// <summary>
    /// Every Deployment and StatefulSet has observed its spec and has all its pods ready, unless the kubelet holds a pod
    /// of the namespace waiting (a missing token secret, a rollout made to hang).
    /// </summary>
    private bool Settled(string ns)
    {
        var waiting = _cluster.Server.List("", "v1", "pods", ns).Any(p => p["status"]?["containerStatuses"] is JsonArray statuses && statuses.Any(c => c?["state"]?["waiting"] is not null));
        return new[] { "deployments", "statefulsets" }.SelectMany(r => _cluster.Server.List("apps", "v1", r, ns)).All(w =>
            Number(w["status"]?["observedGeneration"]) == Number(w["metadata"]?["generation"])
            && (waiting || (Number(w["status"]?["readyReplicas"]) ?? 0) == (Number(w["spec"]?["replicas"]) ?? 1)));
    }

    private static long? Number(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _session.Dispose();
}
