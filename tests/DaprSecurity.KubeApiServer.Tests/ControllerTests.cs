using System.Diagnostics;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>The deployment, statefulset and daemonset controllers, garbage collection and namespace deletion.</summary>
public sealed class ControllerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task RolloutIsReportedAfterTheControllerDelay()
    {
        await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { ControllerDelay = Delay });
        var clock = Stopwatch.StartNew();
        server.Apply(KubectlFidelityTests.Deployment("default", "nginx:1", "1"));
        Assert.Null(server.Get("apps", "v1", "deployments", "default", "web").Long("status", "observedGeneration"));

        var pod = await Eventually.GetAsync(() => server.List("", "v1", "pods", "default").FirstOrDefault(), _ => true, "a pod");
        var done = await Eventually.GetAsync(() => server.Get("apps", "v1", "deployments", "default", "web"),
            d => d.Long("status", "availableReplicas") == 1, "availability");

        Assert.True(clock.Elapsed >= Delay, $"reported after {clock.Elapsed}");
        Assert.Equal(1, done.Long("status", "observedGeneration"));
        Assert.Equal(1, done.Long("status", "updatedReplicas"));
        Assert.Equal(1, done.Long("status", "readyReplicas"));
        var progressing = ((JsonArray)done["status"]!["conditions"]!).First(c => c.Str("type") == "Progressing");
        Assert.Equal("NewReplicaSetAvailable", progressing.Str("reason"));

        // pod → ReplicaSet → Deployment, and the pod carries the template.
        var replicaSet = server.Get("apps", "v1", "replicasets", "default", pod.Str("metadata", "ownerReferences", 0, "name")!)!;
        Assert.Equal("web", replicaSet.Str("metadata", "ownerReferences", 0, "name"));
        Assert.Matches($"^{replicaSet.Str("metadata", "name")}-[a-z0-9]{{5}}$", pod.Str("metadata", "name"));
        Assert.Equal("web", pod.Str("metadata", "labels", "app"));
        Assert.Equal("1", pod.Str("spec", "containers", 0, "env", 0, "value"));
        Assert.Equal("Running", pod.Str("status", "phase"));
        Assert.NotNull(pod.Str("status", "containerStatuses", 0, "state", "running", "startedAt"));
        Assert.Empty(server.ControllerErrors);
    }

    [Fact]
    public async Task EveryRolloutTakesTheWholeControllerDelayEvenWhenAStatusRefreshWasAlreadyScheduled()
    {
        await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { ControllerDelay = Delay });
        server.Apply(KubectlFidelityTests.Deployment("default", "nginx:1", "1"));
        await Eventually.GetAsync(() => server.Get("apps", "v1", "deployments", "default", "web"), d => d.Long("status", "availableReplicas") == 1, "the first rollout");
        using var http = server.CreateHttpClient();

        // The first change schedules a status refresh one delay later; the second change comes while it is pending. That
        // refresh must not report the second rollout early (it once did, and wave tests saw rollouts end in 30 ms).
        await PatchImage(http, "nginx:2");
        await Task.Delay(Delay / 2);
        var second = Stopwatch.StartNew();
        await PatchImage(http, "nginx:3");
        var done = await Eventually.GetAsync(() => server.Get("apps", "v1", "deployments", "default", "web"),
            d => d.Long("status", "observedGeneration") == 3 && d.Long("status", "availableReplicas") == 1, "the third generation rolled out");

        Assert.True(second.Elapsed >= Delay - TimeSpan.FromMilliseconds(20), $"the rollout was reported {second.Elapsed.TotalMilliseconds} ms after its change");
        Assert.Equal(1, done.Long("status", "updatedReplicas"));
        Assert.Empty(server.ControllerErrors);

        static async Task PatchImage(HttpClient client, string image)
        {
            var response = await client.PatchAsync("/apis/apps/v1/namespaces/default/deployments/web",
                new StringContent("""{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"IMAGE"}]}}}}""".Replace("IMAGE", image), System.Text.Encoding.UTF8, "application/strategic-merge-patch+json"));
            response.EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task PausedDeploymentDoesNotRollUntilResumed()
    {
        await using var server = await KubeApiServer.StartAsync();
        server.Apply(KubectlFidelityTests.Deployment("default", "nginx:1", "1"));
        var first = await Eventually.GetAsync(() => server.List("", "v1", "pods", "default").SingleOrDefault(), _ => true, "a pod");
        using var http = server.CreateHttpClient();

        await Patch(http, """{"spec":{"paused":true,"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}}""");
        var paused = await Eventually.GetAsync(() => server.Get("apps", "v1", "deployments", "default", "web"),
            d => d.Long("status", "observedGeneration") == d.Long("metadata", "generation"), "the paused generation observed");
        Assert.Equal("DeploymentPaused", ((JsonArray)paused["status"]!["conditions"]!).First(c => c.Str("type") == "Progressing").Str("reason"));
        Assert.Equal(first.Str("metadata", "name"), server.List("", "v1", "pods", "default").Single().Str("metadata", "name"));

        await Patch(http, """{"spec":{"paused":false}}""");
        var rolled = await Eventually.GetAsync(() => server.List("", "v1", "pods", "default").SingleOrDefault(),
            p => p.Str("spec", "containers", 0, "image") == "nginx:2", "the new pod");
        Assert.NotEqual(first.Str("metadata", "name"), rolled.Str("metadata", "name"));

        async Task Patch(HttpClient client, string body)
        {
            var response = await client.PatchAsync("/apis/apps/v1/namespaces/default/deployments/web",
                new StringContent(body, System.Text.Encoding.UTF8, "application/strategic-merge-patch+json"));
            response.EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task FailAnnotationExceedsTheProgressDeadlineAndHangNeverFinishes()
    {
        await using var server = await KubeApiServer.StartAsync();
        server.Apply(Annotated("failing", "fail") + Annotated("hanging", "hang"));

        var failed = await Eventually.GetAsync(() => server.Get("apps", "v1", "deployments", "default", "failing"),
            d => d.Long("status", "observedGeneration") == 1, "failing status");
        var hanging = await Eventually.GetAsync(() => server.Get("apps", "v1", "deployments", "default", "hanging"),
            d => d.Long("status", "observedGeneration") == 1, "hanging status");

        var progressing = ((JsonArray)failed["status"]!["conditions"]!).First(c => c.Str("type") == "Progressing");
        Assert.Equal(("False", "ProgressDeadlineExceeded"), (progressing.Str("status"), progressing.Str("reason")));
        Assert.Equal(0, hanging.Long("status", "availableReplicas"));
        var pod = server.List("", "v1", "pods", "default").Single(p => p.Str("metadata", "labels", "app") == "hanging");
        Assert.Equal("ContainerCreating", pod.Str("status", "containerStatuses", 0, "state", "waiting", "reason"));
    }

    [Fact]
    public async Task StatefulSetsAndDaemonSetsRollTheirPods()
    {
        await using var server = await KubeApiServer.StartAsync();
        server.SeedDapr(new() { AppNamespaces = [] });
        server.Apply("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: default}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: agent, image: agent:1}]}
            """);

        var placement = await Eventually.GetAsync(() => server.Get("apps", "v1", "statefulsets", "dapr-system", "dapr-placement-server"),
            s => s.Long("status", "readyReplicas") == 1, "placement ready");
        Assert.Equal(placement.Str("status", "updateRevision"), placement.Str("status", "currentRevision"));
        var placementPod = server.Get("", "v1", "pods", "dapr-system", "dapr-placement-server-0")!;
        Assert.Equal("placement", placementPod.Str("metadata", "annotations", "dapr.io/control-plane"));

        server.Apply(placement.ToJsonString().Replace("placement:1.16.2", "placement:1.16.3"));
        var updated = await Eventually.GetAsync(() => server.Get("apps", "v1", "statefulsets", "dapr-system", "dapr-placement-server"),
            s => s.Long("status", "observedGeneration") == 2 && s.Long("status", "readyReplicas") == 1, "placement rolled");
        Assert.NotEqual(placement.Str("status", "updateRevision"), updated.Str("status", "updateRevision"));
        Assert.Equal(updated.Str("status", "updateRevision"), updated.Str("status", "currentRevision"));
        Assert.Equal("ghcr.io/dapr/placement:1.16.3",
            server.Get("", "v1", "pods", "dapr-system", "dapr-placement-server-0").Str("spec", "containers", 0, "image"));

        var agent = await Eventually.GetAsync(() => server.Get("apps", "v1", "daemonsets", "default", "agent"),
            d => d.Long("status", "numberAvailable") == 1, "agent available");
        Assert.Equal(1, agent.Long("status", "desiredNumberScheduled"));
        Assert.Equal(1, agent.Long("status", "updatedNumberScheduled"));
        Assert.Equal(1, agent.Long("status", "numberReady"));
    }

    [Fact]
    public async Task DeletionCascadesToDependentsAndNamespaceContents()
    {
        await using var server = await KubeApiServer.StartAsync();
        server.SeedDapr(new() { AppNamespaces = ["prod-orders"] });
        await Eventually.GetAsync(() => server.List("", "v1", "pods", "prod-orders").FirstOrDefault(), _ => true, "app pod");

        Assert.True(server.Delete("apps", "v1", "deployments", "prod-orders", "orders"));
        await Eventually.GetAsync(() => server.List("", "v1", "pods", "prod-orders"), pods => pods.Count == 0, "pods collected");
        Assert.Empty(server.List("apps", "v1", "replicasets", "prod-orders"));

        Assert.True(server.Delete("", "v1", "namespaces", null, "prod-orders"));
        Assert.Empty(server.List("dapr.io", "v1alpha1", "components", "prod-orders"));
        Assert.Empty(server.List("", "v1", "secrets", "prod-orders"));
        Assert.False(server.Delete("", "v1", "namespaces", null, "prod-orders"));
        Assert.Empty(server.ControllerErrors);
    }

    private static string Annotated(string name, string rollout) => "---\n" + SidecarInjectorTests.DaprDeployment("default", name,
        $"test.daprsecurity.io/rollout: {rollout}") + "\n";
}
