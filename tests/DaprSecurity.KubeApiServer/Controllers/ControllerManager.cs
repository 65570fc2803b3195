using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// kube-controller-manager and the kubelet in one loop: it watches the store and turns each change into controller work
/// on a single queue. Workloads reconcile on every change; new pods are started by the kubelet; pod changes refresh the
/// owning workload's status; secret changes retry pods waiting for configuration; deletions cascade to dependents.
/// </summary>
internal sealed class ControllerManager : IAsyncDisposable
{
    private readonly ResourceOperations _operations;
    private readonly ControllerQueue _queue;
    private readonly Kubelet _kubelet;
    private readonly Dictionary<string, WorkloadController> _workloads;
    private readonly WatchSubscription _changes;
    private readonly Task _pump;
    private readonly Task _loop;

    public ControllerManager(ResourceOperations operations, TimeSpan delay, Action<Exception> onError, CancellationToken stopping)
    {
        _operations = operations;
        _queue = new ControllerQueue(delay, stopping);
        _kubelet = new Kubelet(operations);
        _workloads = new WorkloadController[]
        {
            new DeploymentController(operations, _queue),
            new StatefulSetController(operations, _queue),
            new DaemonSetController(operations, _queue),
        }.ToDictionary(c => c.Type.Kind);
        _changes = operations.Store.Watch((key, _) => IsInteresting(key), operations.Store.CurrentRevision);
        _pump = PumpAsync(stopping);
        _loop = _queue.RunAsync(onError);
    }

    public async ValueTask DisposeAsync()
    {
        _changes.Dispose();
        await Task.WhenAll(_pump, _loop);
    }

    private static bool IsInteresting(ObjectKey key) =>
        key.Group == "apps" || key.Resource is "pods" or "secrets";

    private async Task PumpAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var change in _changes.Events.ReadAllAsync(stopping))
            {
                _queue.Enqueue(() => Handle(change));
            }
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    private void Handle(WatchEvent change)
    {
        var key = change.Object.Key;
        if (change.Type == WatchEvent.Deleted)
        {
            CollectDependents(change.Object);
        }
        switch (key.Resource)
        {
            case "deployments" or "statefulsets" or "daemonsets" when change.Type != WatchEvent.Deleted:
                // A spec change leaves the generation ahead of observedGeneration and needs pod work; status writes do not.
                var workload = change.Object.ToJsonObject();
                if (workload.Number("metadata", "generation") != workload.Number("status", "observedGeneration"))
                {
                    _workloads[workload.Text("kind")!].Reconcile(key.Namespace, key.Name);
                }
                break;
            case "pods" when change.Type == WatchEvent.Added:
                _kubelet.Start(key.Namespace, key.Name);
                break;
            case "pods":
                OnPodChanged(change.Object.ToJsonObject(), deleted: change.Type == WatchEvent.Deleted);
                break;
            case "secrets" when change.Type != WatchEvent.Deleted:
                _kubelet.RetryWaiting(key.Namespace);
                break;
        }
    }

    /// <summary>A deleted pod is replaced (reconcile); a changed pod changes its workload's status.</summary>
    private void OnPodChanged(JsonObject pod, bool deleted)
    {
        if (OwningWorkload(pod) is not var (controller, name))
        {
            return;
        }
        if (deleted)
        {
            controller.Reconcile(pod.Namespace(), name);
        }
        else
        {
            controller.ScheduleStatus(pod.Namespace(), name);
        }
    }

    /// <summary>Pod → StatefulSet/DaemonSet, or pod → ReplicaSet → Deployment.</summary>
    private (WorkloadController Controller, string Name)? OwningWorkload(JsonObject pod)
    {
        if (Ownership.ControllerOf(pod) is not var (kind, name))
        {
            return null;
        }
        if (kind == ResourceRegistry.ReplicaSets.Kind)
        {
            var replicaSet = _operations.Store.Get(ObjectKey.For(ResourceRegistry.ReplicaSets, pod.Namespace(), name))?.ToJsonObject();
            if (replicaSet is null || Ownership.ControllerOf(replicaSet) is not var (ownerKind, ownerName))
            {
                return null;
            }
            (kind, name) = (ownerKind, ownerName);
        }
        return _workloads.TryGetValue(kind, out var controller) ? (controller, name) : null;
    }

    /// <summary>The garbage collector: what a deleted object owned goes too (ReplicaSets and pods are all it can own here).</summary>
    private void CollectDependents(StoredObject deleted)
    {
        var uid = deleted.ToJsonObject().Text("metadata", "uid");
        if (uid is null || deleted.Key.Namespace.Length == 0)
        {
            return;
        }
        foreach (var type in new[] { ResourceRegistry.ReplicaSets, ResourceRegistry.Pods })
        {
            foreach (var dependent in Ownership.Dependents(_operations.Store, type, deleted.Key.Namespace, uid))
            {
                _operations.Store.Remove(ObjectKey.For(type, dependent.Namespace(), dependent.Name()));
            }
        }
    }
}
