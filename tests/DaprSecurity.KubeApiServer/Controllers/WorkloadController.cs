using System.Diagnostics;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// What the Deployment, StatefulSet and DaemonSet controllers share: reconcile pods against the pod template at once, then,
/// after the controller delay, publish a status computed from the pods (observedGeneration, replica counts, conditions).
/// </summary>
internal abstract class WorkloadController(ResourceOperations operations, ControllerQueue queue)
{
    /// <summary>When each workload's pods were last replaced (Stopwatch timestamps); only the controller queue's thread uses it.</summary>
    private readonly Dictionary<(string Namespace, string Name), long> _syncedAt = new();

    public abstract ResourceType Type { get; }

    protected ResourceOperations Operations => operations;

    protected ObjectStore Store => operations.Store;

    public void Reconcile(string ns, string name)
    {
        var workload = Store.GetCopy(ObjectKey.For(Type, ns, name));
        if (workload?["spec"]?["template"] is not JsonObject template)
        {
            return;
        }
        if (!IsPaused(workload))
        {
            SyncPods(workload, template, PodTemplates.Hash(template));
            _syncedAt[(ns, name)] = Stopwatch.GetTimestamp();
        }
        ScheduleStatus(ns, name);
    }

    public void ScheduleStatus(string ns, string name) => queue.EnqueueAfterDelay(() => RefreshStatus(ns, name));

    private void RefreshStatus(string ns, string name)
    {
        // A refresh scheduled before the pods were last replaced (by a pod or secret change) would report that rollout
        // sooner than the controller delay: wait out the rest of it, so every rollout takes at least the delay.
        if (_syncedAt.TryGetValue((ns, name), out var synced) && queue.Delay - Stopwatch.GetElapsedTime(synced) is { Ticks: > 0 } left)
        {
            queue.EnqueueAfter(left, () => RefreshStatus(ns, name));
            return;
        }

        var workload = Store.GetCopy(ObjectKey.For(Type, ns, name));
        if (workload?["spec"]?["template"] is not JsonObject template)
        {
            return;
        }
        var pods = OwnedPods(workload);
        RefreshIntermediateStatus(workload, pods);
        WriteStatusIfChanged(Type, workload, BuildStatus(workload, template, PodTemplates.Hash(template), pods));
    }

    protected void WriteStatusIfChanged(ResourceType type, JsonObject obj, JsonObject status)
    {
        if (!JsonNode.DeepEquals(status, obj["status"]))
        {
            Operations.UpdateStatusUnlessGone(type, obj.Namespace(), obj.Name(), status);
        }
    }

    protected virtual bool IsPaused(JsonObject workload) => false;

    /// <summary>Updates the status of objects between the workload and its pods (a Deployment's ReplicaSets).</summary>
    protected virtual void RefreshIntermediateStatus(JsonObject workload, IReadOnlyList<JsonObject> pods)
    {
    }

    /// <summary>Creates and deletes pods (and intermediate objects) until they match the template.</summary>
    protected abstract void SyncPods(JsonObject workload, JsonObject template, string hash);

    public abstract IReadOnlyList<JsonObject> OwnedPods(JsonObject workload);

    protected abstract JsonObject BuildStatus(JsonObject workload, JsonObject template, string hash, IReadOnlyList<JsonObject> pods);

    protected static int DesiredReplicas(JsonObject workload) => (int)(workload.Number("spec", "replicas") ?? 1);

    protected static long Generation(JsonObject workload) => workload.Number("metadata", "generation") ?? 1;

    protected static string Uid(JsonObject obj) => obj.Text("metadata", "uid") ?? "";

    protected void DeletePods(IEnumerable<JsonObject> pods)
    {
        foreach (var pod in pods)
        {
            try
            {
                Operations.Delete(ResourceRegistry.Pods, pod.Namespace(), pod.Name());
            }
            catch (ApiException gone) when (gone.Code == 404)
            {
                // Deleted meanwhile by someone else: that is the goal anyway.
            }
        }
    }

    protected void CreatePod(JsonObject pod) => Operations.Create(ResourceRegistry.Pods, pod.Namespace(), pod);
}
