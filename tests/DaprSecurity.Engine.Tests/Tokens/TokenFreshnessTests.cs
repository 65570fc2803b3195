using DaprSecurity.Engine.Tokens;
using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenFreshnessTests
{
    private const string Current = "0123456789ab";
    private static readonly DateTimeOffset Changed = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_pod_that_carries_the_current_fingerprint_is_up_to_date_whatever_the_clocks_say()
    {
        Assert.False(IsStale(Pod("2026-11-20T09:00:00Z", fingerprint: Current)));
        Assert.True(IsStale(Pod("2026-11-20T09:00:00Z", fingerprint: "ba9876543210")));
    }

    [Fact]
    public void Without_a_matching_fingerprint_times_decide_outside_a_one_second_tolerance_and_inside_it_is_unknown()
    {
        Assert.False(IsStale(Pod("2026-11-20T10:00:02Z"), Pod("2026-11-20T10:05:00Z")));
        Assert.True(IsStale(Pod("2026-11-20T10:00:02Z"), Pod("2026-11-20T09:59:58Z")));
        Assert.Null(IsStale(Pod("2026-11-20T10:00:00Z")));
        Assert.Null(IsStale(Pod("2026-11-20T10:00:01Z")));
        Assert.Null(IsStale(Pod("2026-11-20T09:59:59Z")));
        Assert.True(IsStale(Pod("2026-11-20T10:00:00Z"), Pod("2026-11-20T09:00:00Z")));
    }

    [Fact]
    public void Only_the_workloads_own_live_pods_count_and_no_pods_is_unknown_unless_scaled_to_zero()
    {
        Assert.Null(TokenFreshness.IsStale(Orders(), new[] { Pod("2026-11-20T09:00:00Z", app: "cart") }, DaprTokenKind.App, Current, Changed));
        Assert.False(TokenFreshness.IsStale(Orders(replicas: 0), Array.Empty<V1Pod>(), DaprTokenKind.App, Current, Changed));
        var leaving = Pod("2026-11-20T09:00:00Z");
        leaving.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.False(IsStale(leaving, Pod("2026-11-20T11:00:00Z")));
    }

    [Fact]
    public void The_fingerprint_of_one_token_kind_says_nothing_about_the_other()
        => Assert.True(TokenFreshness.IsStale(Orders(), new[] { Pod("2026-11-20T09:00:00Z", fingerprint: Current) }, DaprTokenKind.Api, Current, Changed));

    private static bool? IsStale(params V1Pod[] pods) => TokenFreshness.IsStale(Orders(), pods, DaprTokenKind.App, Current, Changed);

    private static Workload Orders(int replicas = 1) => Workload.From(new V1Deployment
    {
        Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = "prod" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "orders" } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta() },
        },
    });

    private static V1Pod Pod(string created, string app = "orders", string? fingerprint = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = "prod",
            Labels = new Dictionary<string, string> { ["app"] = app },
            Annotations = fingerprint is null ? null : new Dictionary<string, string> { [TokenFreshness.FingerprintAnnotation(DaprTokenKind.App)] = fingerprint },
            CreationTimestamp = DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime,
        },
    };
}
