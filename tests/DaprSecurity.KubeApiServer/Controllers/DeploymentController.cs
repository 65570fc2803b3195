using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Patching;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// Deployments: one ReplicaSet per template (<c>&lt;deploy&gt;-&lt;hash&gt;</c>) owning pods named <c>&lt;deploy&gt;-&lt;hash&gt;-&lt;rand&gt;</c>.
/// A template change scales the old ReplicaSets to zero and replaces their pods at once (no surge); paused deployments
/// keep their pods. The status is what <c>kubectl rollout status</c> reads (observedGeneration, replica counts,
/// Available and Progressing conditions).
/// </summary>
internal sealed class DeploymentController(ResourceOperations operations, ControllerQueue queue) : WorkloadController(operations, queue)
{
    private const string HashLabel = "pod-template-hash";

    public override ResourceType Type => ResourceRegistry.Deployments;

    protected override bool IsPaused(JsonObject workload) => workload.Flag("spec", "paused");

    protected override void SyncPods(JsonObject deployment, JsonObject template, string hash)
    {
        var ns = deployment.Namespace();
        var replicas = DesiredReplicas(deployment);
        var current = EnsureReplicaSet(deployment, template, hash, replicas);
        foreach (var old in ReplicaSets(deployment).Where(rs => rs.Name() != current.Name() && (rs.Number("spec", "replicas") ?? 0) != 0))
        {
            Scale(old, 0);
        }

        var pods = OwnedPods(deployment);
        DeletePods(pods.Where(p => p.Text("metadata", "labels", HashLabel) != hash));
        var live = pods.Where(p => p.Text("metadata", "labels", HashLabel) == hash).ToList();
        DeletePods(live.Skip(replicas));
        for (var i = live.Count; i < replicas; i++)
        {
            CreatePod(PodTemplates.NewPod(template, current, name: null, $"{current.Name()}-",
                new Dictionary<string, string> { [HashLabel] = hash }));
        }
    }

    public override IReadOnlyList<JsonObject> OwnedPods(JsonObject deployment) =>
        ReplicaSets(deployment)
            .SelectMany(rs => Ownership.Dependents(Store, ResourceRegistry.Pods, deployment.Namespace(), Uid(rs)))
            .ToList();

    protected override JsonObject BuildStatus(JsonObject deployment, JsonObject template, string hash, IReadOnlyList<JsonObject> pods)
    {
        var previous = deployment["status"] as JsonObject;
        var replicas = DesiredReplicas(deployment);
        var updated = pods.Count(p => p.Text("metadata", "labels", HashLabel) == hash);
        var ready = pods.Count(PodTemplates.IsReady);
        var replicaSet = $"ReplicaSet \"{deployment.Name()}-{hash}\"";
        var progressing = IsPaused(deployment)
            ? Conditions.Make(previous, "Progressing", null, "DeploymentPaused", "Deployment is paused")
            : RolloutControl.Of(template) == RolloutControl.Fail
                ? Conditions.Make(previous, "Progressing", false, "ProgressDeadlineExceeded", $"{replicaSet} has timed out progressing.")
                : ready >= replicas && updated == replicas
                    ? Conditions.Make(previous, "Progressing", true, "NewReplicaSetAvailable", $"{replicaSet} has successfully progressed.")
                    : Conditions.Make(previous, "Progressing", true, "ReplicaSetUpdated", $"{replicaSet} is progressing.");
        var status = new JsonObject
        {
            ["observedGeneration"] = Generation(deployment),
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
        };
        if (pods.Count - ready > 0)
        {
            status["unavailableReplicas"] = pods.Count - ready;
        }
        status["conditions"] = new JsonArray(
            ready >= replicas
                ? Conditions.Make(previous, "Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
                : Conditions.Make(previous, "Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            progressing);
        return status;
    }

    protected override void RefreshIntermediateStatus(JsonObject deployment, IReadOnlyList<JsonObject> pods)
    {
        foreach (var replicaSet in ReplicaSets(deployment))
        {
            var own = pods.Where(p => Ownership.ControllerOf(p)?.Name == replicaSet.Name()).ToList();
            var ready = own.Count(PodTemplates.IsReady);
            WriteStatusIfChanged(ResourceRegistry.ReplicaSets, replicaSet, new JsonObject
            {
                ["replicas"] = own.Count,
                ["fullyLabeledReplicas"] = own.Count,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["observedGeneration"] = Generation(replicaSet),
            });
        }
    }

    private List<JsonObject> ReplicaSets(JsonObject deployment) =>
        Ownership.Dependents(Store, ResourceRegistry.ReplicaSets, deployment.Namespace(), Uid(deployment)).ToList();

    private JsonObject EnsureReplicaSet(JsonObject deployment, JsonObject template, string hash, int replicas)
    {
        var name = $"{deployment.Name()}-{hash}";
        if (ReplicaSets(deployment).FirstOrDefault(rs => rs.Name() == name) is { } existing)
        {
            if ((existing.Number("spec", "replicas") ?? 0) != replicas)
            {
                Scale(existing, replicas);
            }
            return existing;
        }
        var podTemplate = template.DeepClone().AsObject();
        podTemplate.Metadata().Child("labels")[HashLabel] = hash;
        var selector = deployment["spec"]?["selector"]?.DeepClone() as JsonObject ?? [];
        selector.Child("matchLabels")[HashLabel] = hash;
        var replicaSet = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = deployment.Namespace(),
                ["labels"] = podTemplate["metadata"]!["labels"]!.DeepClone(),
                ["ownerReferences"] = new JsonArray(Ownership.ReferenceTo(deployment)),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = podTemplate },
        };
        return Operations.Create(ResourceRegistry.ReplicaSets, deployment.Namespace(), replicaSet).ToJsonObject();
    }

    private void Scale(JsonObject replicaSet, int replicas) =>
        Operations.Patch(ResourceRegistry.ReplicaSets, replicaSet.Namespace(), replicaSet.Name(), subresource: null, PatchKind.Merge,
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }, fieldManager: null);
}
