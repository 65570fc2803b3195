using DaprSecurity.Engine.Tokens;
using DaprSecurity.Engine.Workloads;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenFreshnessTests
{
    private static readonly DateTimeOffset Changed = new(2026, 11, 20, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void A_restart_in_or_after_the_second_of_the_change_is_up_to_date()
    {
        Assert.True(TokenFreshness.IsUpToDate(Orders(restartedAt: "2026-11-20T10:00:00Z"), Array.Empty<V1Pod>(), Changed));
        Assert.False(TokenFreshness.IsUpToDate(Orders(restartedAt: "2026-11-20T09:59:59Z"), new[] { Pod("2026-11-20T09:00:00Z") }, Changed));
    }

    [Fact]
    public void Pods_all_created_after_the_change_are_up_to_date_but_one_old_pod_is_not()
    {
        Assert.True(TokenFreshness.IsUpToDate(Orders(), new[] { Pod("2026-11-20T10:00:01Z"), Pod("2026-11-20T10:05:00Z") }, Changed));
        Assert.False(TokenFreshness.IsUpToDate(Orders(), new[] { Pod("2026-11-20T10:00:01Z"), Pod("2026-11-20T10:00:00Z") }, Changed));
    }

    [Fact]
    public void Only_the_workloads_own_pods_count_and_no_pods_means_stale_unless_scaled_to_zero()
    {
        Assert.False(TokenFreshness.IsUpToDate(Orders(), new[] { Pod("2026-11-20T11:00:00Z", app: "cart") }, Changed));
        Assert.True(TokenFreshness.IsUpToDate(Orders(replicas: 0), Array.Empty<V1Pod>(), Changed));
    }

    private static Workload Orders(string? restartedAt = null, int replicas = 1) => Workload.From(new V1Deployment
    {
        Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = "prod" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "orders" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Annotations = restartedAt is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["kubectl.kubernetes.io/restartedAt"] = restartedAt },
                },
            },
        },
    });

    private static V1Pod Pod(string created, string app = "orders") => new()
    {
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = "prod",
            Labels = new Dictionary<string, string> { ["app"] = app },
            CreationTimestamp = DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime,
        },
    };
}
