using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// A one-node kubelet: "starts" new pods by writing their status. Containers run unless a non-optional secret they read
/// (env <c>secretKeyRef</c> or <c>envFrom.secretRef</c>) or its key is missing, which leaves them waiting with
/// CreateContainerConfigError, exactly as the real kubelet reports it; such pods are retried when secrets change.
/// <see cref="RolloutControl"/> annotations make pods hang or crash-loop.
/// </summary>
internal sealed class Kubelet(ResourceOperations operations)
{
    private const string ConfigError = "CreateContainerConfigError";

    private ObjectStore Store => operations.Store;

    public void Start(string ns, string name)
    {
        var pod = Store.GetCopy(ObjectKey.For(ResourceRegistry.Pods, ns, name));
        if (pod is null)
        {
            return;
        }
        var status = Status(pod);
        if (!JsonNode.DeepEquals(status, pod["status"]))
        {
            operations.UpdateStatusUnlessGone(ResourceRegistry.Pods, ns, name, status);
        }
    }

    /// <summary>Retries the pods of <paramref name="ns"/> that wait for configuration, after a secret appeared or changed.</summary>
    public void RetryWaiting(string ns)
    {
        var waiting = Store.List(ResourceRegistry.Pods.Group, ResourceRegistry.Pods.Plural, ns, (_, pod) =>
            (pod["status"]?["containerStatuses"] as JsonArray)?.Any(s => s.Text("state", "waiting", "reason") == ConfigError) ?? false);
        foreach (var pod in waiting.Items)
        {
            Start(ns, pod.Key.Name);
        }
    }

    private JsonObject Status(JsonObject pod)
    {
        var previous = pod["status"] as JsonObject;
        var now = DateTimeOffset.UtcNow.ToKubernetesTime();
        var rollout = RolloutControl.Of(pod);
        var statuses = new JsonArray();
        foreach (var container in (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var (reason, message) = rollout switch
            {
                RolloutControl.Hang => ("ContainerCreating", null),
                RolloutControl.Fail => ("CrashLoopBackOff", $"back-off 5m0s restarting failed container={container.Text("name")} pod={pod.Name()}"),
                _ => MissingSecret(container, pod.Namespace()) is { } missing ? (ConfigError, missing) : ((string?, string?))(null, null),
            };
            statuses.Add(ContainerStatus(container, previous, reason, message, rollout == RolloutControl.Fail ? 5 : 0, now));
        }
        var ready = statuses.All(s => s.Flag("ready"));
        var notReady = ready ? null : "ContainersNotReady";
        return new JsonObject
        {
            ["phase"] = ready || rollout == RolloutControl.Fail ? "Running" : "Pending",
            ["conditions"] = new JsonArray(
                Conditions.Make(previous, "PodReadyToStartContainers", true, null, null, withUpdateTime: false),
                Conditions.Make(previous, "Initialized", true, null, null, withUpdateTime: false),
                Conditions.Make(previous, "Ready", ready, notReady, null, withUpdateTime: false),
                Conditions.Make(previous, "ContainersReady", ready, notReady, null, withUpdateTime: false),
                Conditions.Make(previous, "PodScheduled", true, null, null, withUpdateTime: false)),
            ["hostIP"] = "10.0.0.10",
            ["podIP"] = previous.Text("podIP") ?? $"10.244.0.{Random.Shared.Next(2, 254)}",
            ["startTime"] = previous.Text("startTime") ?? now,
            ["containerStatuses"] = statuses,
            ["qosClass"] = "BestEffort",
        };
    }

    private static JsonObject ContainerStatus(JsonObject container, JsonObject? previousStatus, string? waitingReason, string? message,
        int restarts, string now)
    {
        var name = container.Text("name") ?? "";
        var previous = (previousStatus?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(s => s.Text("name") == name);
        JsonObject state;
        if (waitingReason is null)
        {
            state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = previous.Text("state", "running", "startedAt") ?? now } };
        }
        else
        {
            var waiting = new JsonObject { ["reason"] = waitingReason };
            if (message is not null)
            {
                waiting["message"] = message;
            }
            state = new JsonObject { ["waiting"] = waiting };
        }
        var image = container.Text("image") ?? "";
        return new JsonObject
        {
            ["name"] = name,
            ["image"] = image,
            ["imageID"] = waitingReason is null ? $"{image}@sha256:{NameGenerator.StableHash(image)}" : "",
            ["ready"] = waitingReason is null,
            ["started"] = waitingReason is null,
            ["restartCount"] = restarts,
            ["state"] = state,
        };
    }

    /// <summary>The kubelet's message for the first secret or key the container cannot read, or null.</summary>
    private string? MissingSecret(JsonObject container, string ns)
    {
        foreach (var env in (container["env"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (env["valueFrom"]?["secretKeyRef"] is JsonObject reference && !reference.Flag("optional"))
            {
                var name = reference.Text("name") ?? "";
                var key = reference.Text("key") ?? "";
                var secret = Store.Get(ObjectKey.For(ResourceRegistry.Secrets, ns, name))?.ToJsonObject();
                if (secret is null)
                {
                    return $"secret \"{name}\" not found";
                }
                if (secret["data"]?[key] is null)
                {
                    return $"couldn't find key {key} in Secret {ns}/{name}";
                }
            }
        }
        foreach (var source in (container["envFrom"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (source["secretRef"] is JsonObject reference && !reference.Flag("optional")
                && !Store.Exists(ObjectKey.For(ResourceRegistry.Secrets, ns, reference.Text("name") ?? "")))
            {
                return $"secret \"{reference.Text("name")}\" not found";
            }
        }
        return null;
    }
}
