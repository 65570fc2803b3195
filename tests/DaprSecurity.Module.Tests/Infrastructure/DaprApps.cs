using System.Text;
using System.Text.Json.Nodes;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>Puts Dapr apps and token secrets into a test cluster, and reads back what the cmdlets did to them.</summary>
public static class DaprApps
{
    /// <summary>A namespace (created if missing) with a Dapr-enabled Deployment named <paramref name="app"/>.</summary>
    public static void Deploy(
        KubeApiServer.KubeApiServer server,
        string ns,
        string app,
        string? appTokenSecret = null,
        string? apiTokenSecret = null,
        bool paused = false,
        string? rollout = null,
        bool daprEnabled = true,
        int replicas = 1)
    {
        var annotations = new StringBuilder($"        dapr.io/enabled: \"{(daprEnabled ? "true" : "false")}\"\n        dapr.io/app-id: {app}\n");
        if (appTokenSecret is not null)
        {
            annotations.Append($"        dapr.io/app-token-secret: {appTokenSecret}\n");
        }

        if (apiTokenSecret is not null)
        {
            annotations.Append($"        dapr.io/api-token-secret: {apiTokenSecret}\n");
        }

        if (rollout is not null)
        {
            annotations.Append($"        test.daprsecurity.io/rollout: {rollout}\n");
        }

        server.Apply($"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {ns}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {app}
              namespace: {ns}
            spec:
              replicas: {replicas}
              paused: {(paused ? "true" : "false")}
              selector:
                matchLabels: {"{"}app: {app}{"}"}
              template:
                metadata:
                  labels: {"{"}app: {app}{"}"}
                  annotations:
            {annotations}
                spec:
                  containers:
                  - name: {app}
                    image: ghcr.io/example/{app}:1.0.0
            """);
    }

    /// <summary>A secret holding <paramref name="token"/> under the key "token".</summary>
    public static void Secret(KubeApiServer.KubeApiServer server, string ns, string name, string token, string extra = "")
        => server.Apply($"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {name}
              namespace: {ns}
            {extra}
            data:
              token: {Convert.ToBase64String(Encoding.UTF8.GetBytes(token))}
            """);

    public static JsonObject Deployment(KubeApiServer.KubeApiServer server, string ns, string name)
        => server.Get("apps", "v1", "deployments", ns, name) ?? throw new InvalidOperationException($"no deployment {ns}/{name}");

    /// <summary>The deployment's generation: 1 as created, +1 for every change to its spec (each restart rolls the pods once).</summary>
    public static long Generation(KubeApiServer.KubeApiServer server, string ns, string name)
        => long.Parse(Deployment(server, ns, name)["metadata"]!["generation"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How many ReplicaSets (pod templates) the deployment has had: 1 as created, +1 for every restart that really rolled its pods.</summary>
    public static int ReplicaSets(KubeApiServer.KubeApiServer server, string ns, string name)
        => server.List("apps", "v1", "replicasets", ns).Count(rs => rs["metadata"]?["ownerReferences"]?[0]?["name"]?.GetValue<string>() == name);

    /// <summary>The value of a pod annotation on each pod of the app (label app=<paramref name="app"/>).</summary>
    public static IReadOnlyList<string?> PodAnnotation(KubeApiServer.KubeApiServer server, string ns, string app, string key)
        => server.List("", "v1", "pods", ns).Where(p => p["metadata"]?["labels"]?["app"]?.GetValue<string>() == app)
            .Select(p => p["metadata"]?["annotations"]?[key]?.GetValue<string>()).ToList();

    public static string? RestartedAt(KubeApiServer.KubeApiServer server, string ns, string name)
        => Deployment(server, ns, name)["spec"]?["template"]?["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"]?.GetValue<string>();

    /// <summary>The token stored in a secret, or null when the secret or its key is missing.</summary>
    public static string? StoredToken(KubeApiServer.KubeApiServer server, string ns, string name)
        => server.Get("", "v1", "secrets", ns, name)?["data"]?["token"]?.GetValue<string>() is { } data ? Encoding.UTF8.GetString(Convert.FromBase64String(data)) : null;
}
