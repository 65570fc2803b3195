using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Semantics;

/// <summary>
/// The defaults the apiserver fills in on every write and that clients rely on: replica counts and rolling-update strategies
/// (<c>kubectl rollout status</c> refuses other strategies), namespace finalizers and the namespace name label.
/// </summary>
internal static class ObjectDefaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type == ResourceRegistry.Namespaces)
        {
            obj.Metadata().Child("labels")["kubernetes.io/metadata.name"] = obj.Name();
            obj.Child("spec")["finalizers"] ??= new JsonArray("kubernetes");
        }
        else if (type == ResourceRegistry.Deployments)
        {
            var spec = obj.Child("spec");
            spec["replicas"] ??= 1;
            spec["strategy"] ??= RollingUpdate(new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" });
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
        }
        else if (type == ResourceRegistry.StatefulSets)
        {
            var spec = obj.Child("spec");
            spec["replicas"] ??= 1;
            spec["podManagementPolicy"] ??= "OrderedReady";
            spec["updateStrategy"] ??= RollingUpdate(new JsonObject { ["partition"] = 0 });
        }
        else if (type == ResourceRegistry.DaemonSets)
        {
            obj.Child("spec")["updateStrategy"] ??= RollingUpdate(new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 });
        }
        else if (type == ResourceRegistry.ReplicaSets)
        {
            obj.Child("spec")["replicas"] ??= 1;
        }
        else if (type == ResourceRegistry.Services)
        {
            obj.Child("spec")["type"] ??= "ClusterIP";
        }
    }

    /// <summary>Status a new object starts with when the client may not set it.</summary>
    public static JsonObject? InitialStatus(ResourceType type) =>
        type == ResourceRegistry.Namespaces ? new JsonObject { ["phase"] = "Active" } : null;

    private static JsonObject RollingUpdate(JsonObject parameters) => new() { ["type"] = "RollingUpdate", ["rollingUpdate"] = parameters };
}
