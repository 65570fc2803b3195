using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>DaemonSets on a one-node cluster: exactly one pod, replaced when the template changes.</summary>
internal sealed class DaemonSetController(ResourceOperations operations, ControllerQueue queue) : WorkloadController(operations, queue)
{
    private const string RevisionLabel = "controller-revision-hash";

    public override ResourceType Type => ResourceRegistry.DaemonSets;

    protected override void SyncPods(JsonObject set, JsonObject template, string hash)
    {
        var pods = OwnedPods(set);
        DeletePods(pods.Where(p => p.Text("metadata", "labels", RevisionLabel) != hash));
        var live = pods.Where(p => p.Text("metadata", "labels", RevisionLabel) == hash).ToList();
        DeletePods(live.Skip(1));
        if (live.Count == 0)
        {
            CreatePod(PodTemplates.NewPod(template, set, name: null, $"{set.Name()}-", new Dictionary<string, string>
            {
                [RevisionLabel] = hash,
                ["pod-template-generation"] = Generation(set).ToString(CultureInfo.InvariantCulture),
            }));
        }
    }

    public override IReadOnlyList<JsonObject> OwnedPods(JsonObject set) =>
        Ownership.Dependents(Store, ResourceRegistry.Pods, set.Namespace(), Uid(set));

    protected override JsonObject BuildStatus(JsonObject set, JsonObject template, string hash, IReadOnlyList<JsonObject> pods)
    {
        var ready = pods.Count(PodTemplates.IsReady);
        var status = new JsonObject
        {
            ["observedGeneration"] = Generation(set),
            ["currentNumberScheduled"] = pods.Count,
            ["desiredNumberScheduled"] = 1,
            ["numberMisscheduled"] = 0,
            ["numberReady"] = ready,
            ["numberAvailable"] = ready,
            ["updatedNumberScheduled"] = pods.Count(p => p.Text("metadata", "labels", RevisionLabel) == hash),
        };
        if (ready < 1)
        {
            status["numberUnavailable"] = 1 - ready;
        }
        return status;
    }
}
