using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// StatefulSets: pods <c>&lt;name&gt;-0..n-1</c> owned by the set and labelled with the revision <c>&lt;name&gt;-&lt;hash&gt;</c>;
/// a pod of an older revision is replaced under the same name. The status carries <c>currentRevision</c>/<c>updateRevision</c>,
/// which <c>kubectl rollout status</c> compares.
/// </summary>
internal sealed class StatefulSetController(ResourceOperations operations, ControllerQueue queue) : WorkloadController(operations, queue)
{
    private const string RevisionLabel = "controller-revision-hash";

    public override ResourceType Type => ResourceRegistry.StatefulSets;

    protected override void SyncPods(JsonObject set, JsonObject template, string hash)
    {
        var revision = Revision(set, hash);
        var replicas = DesiredReplicas(set);
        var pods = OwnedPods(set).ToDictionary(p => p.Name());
        DeletePods(pods.Values.Where(p => Ordinal(set, p) >= replicas || p.Text("metadata", "labels", RevisionLabel) != revision));
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            var name = $"{set.Name()}-{ordinal}";
            if (pods.TryGetValue(name, out var pod) && pod.Text("metadata", "labels", RevisionLabel) == revision)
            {
                continue;
            }
            CreatePod(PodTemplates.NewPod(template, set, name, generateName: "", new Dictionary<string, string>
            {
                [RevisionLabel] = revision,
                ["statefulset.kubernetes.io/pod-name"] = name,
                ["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture),
            }));
        }
    }

    public override IReadOnlyList<JsonObject> OwnedPods(JsonObject set) =>
        Ownership.Dependents(Store, ResourceRegistry.Pods, set.Namespace(), Uid(set));

    protected override JsonObject BuildStatus(JsonObject set, JsonObject template, string hash, IReadOnlyList<JsonObject> pods)
    {
        var revision = Revision(set, hash);
        var updated = pods.Count(p => p.Text("metadata", "labels", RevisionLabel) == revision);
        var ready = pods.Count(PodTemplates.IsReady);
        var complete = updated == DesiredReplicas(set) && ready == updated;
        return new JsonObject
        {
            ["observedGeneration"] = Generation(set),
            ["replicas"] = pods.Count,
            ["readyReplicas"] = ready,
            ["currentReplicas"] = complete ? updated : pods.Count - updated,
            ["updatedReplicas"] = updated,
            ["availableReplicas"] = ready,
            ["currentRevision"] = complete ? revision : set.Text("status", "currentRevision") ?? revision,
            ["updateRevision"] = revision,
            ["collisionCount"] = 0,
        };
    }

    private static string Revision(JsonObject set, string hash) => $"{set.Name()}-{hash}";

    private static int Ordinal(JsonObject set, JsonObject pod) =>
        int.TryParse(pod.Name().AsSpan(set.Name().Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : int.MaxValue;
}
