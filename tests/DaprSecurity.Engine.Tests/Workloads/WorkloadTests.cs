using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Workloads;

public sealed class WorkloadTests
{
    [Fact]
    public void Reads_dapr_settings_from_the_pod_template()
    {
        var workload = Workload.From(Deployment(annotations: new()
        {
            ["dapr.io/enabled"] = "true",
            ["dapr.io/app-id"] = "orders",
            ["dapr.io/app-token-secret"] = "app-api-token",
            ["kubectl.kubernetes.io/restartedAt"] = "2026-11-20T10:00:00Z",
        }));

        Assert.Equal(DaprWorkloadKind.Deployment, workload.Kind);
        Assert.True(workload.IsDaprEnabled);
        Assert.Equal("orders", workload.AppId);
        Assert.Equal("app-api-token", workload.AppTokenSecret);
        Assert.Null(workload.ApiTokenSecret);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), workload.RestartedAt);
        Assert.Equal("Deployment prod/orders", workload.DisplayName);
    }

    [Fact]
    public void Deployment_rollout_follows_kubectl_rollout_status()
    {
        Assert.Equal(RolloutPhase.Progressing, Workload.From(Deployment(generation: 2, observed: 1)).Rollout.Phase);
        Assert.Equal(RolloutPhase.Progressing, Workload.From(Deployment(updated: 1)).Rollout.Phase);
        Assert.Equal(RolloutPhase.Progressing, Workload.From(Deployment(replicas: 3)).Rollout.Phase);
        Assert.Equal(RolloutPhase.Progressing, Workload.From(Deployment(available: 1)).Rollout.Phase);
        Assert.Equal(RolloutPhase.Failed, Workload.From(Deployment(deadlineExceeded: true)).Rollout.Phase);
        Assert.Equal(RolloutPhase.Complete, Workload.From(Deployment()).Rollout.Phase);
    }

    [Fact]
    public void Selects_pods_by_selector_in_its_own_namespace()
    {
        var workload = Workload.From(Deployment());
        V1Pod Pod(string ns, string app) => new() { Metadata = new V1ObjectMeta { NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = app } } };

        Assert.True(workload.Selects(Pod("prod", "orders")));
        Assert.False(workload.Selects(Pod("prod", "inventory")));
        Assert.False(workload.Selects(Pod("staging", "orders")));
    }

    private static V1Deployment Deployment(
        Dictionary<string, string>? annotations = null,
        long generation = 2,
        long observed = 2,
        int updated = 2,
        int replicas = 2,
        int available = 2,
        bool deadlineExceeded = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = "prod", Generation = generation },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "orders" } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Annotations = annotations ?? new Dictionary<string, string>() } },
        },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed,
            UpdatedReplicas = updated,
            Replicas = replicas,
            AvailableReplicas = available,
            ReadyReplicas = available,
            Conditions = deadlineExceeded ? new List<V1DeploymentCondition> { new() { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded" } } : null,
        },
    };
}
