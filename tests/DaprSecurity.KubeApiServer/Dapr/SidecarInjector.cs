using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Dapr;

/// <summary>
/// Stand-in for the dapr-sidecar-injector webhook (dapr/dapr <c>pkg/injector/patcher</c>): on pod CREATE, a pod annotated
/// <c>dapr.io/enabled</c> truthy gets the injected labels and a <c>daprd</c> container whose args, env and ports are what the
/// real injector writes, including the literal <c>DAPR_TRUST_ANCHORS</c> and the token <c>secretKeyRef</c>s.
/// </summary>
public sealed class SidecarInjector
{
    public const string EnabledAnnotation = "dapr.io/enabled";

    /// <summary>Plays an injector that admits the pod without a sidecar (a service account it does not allow, failurePolicy Ignore).</summary>
    public const string SkipInjectionAnnotation = "test.daprsecurity.io/injection";
    public const string AppIdAnnotation = "dapr.io/app-id";
    public const string ApiTokenSecretAnnotation = "dapr.io/api-token-secret";
    public const string AppTokenSecretAnnotation = "dapr.io/app-token-secret";
    public const string ListenAddressesAnnotation = "dapr.io/sidecar-listen-addresses";
    public const string SidecarContainerName = "daprd";
    public const string DefaultListenAddresses = "[::1],127.0.0.1";

    private static readonly HashSet<string> Truthy = new(["y", "yes", "true", "t", "on", "1"], StringComparer.OrdinalIgnoreCase);

    /// <summary>dapr/kit <c>strings.IsTruthy</c>.</summary>
    public static bool IsTruthy(string? value) => value is not null && Truthy.Contains(value.Trim());

    /// <summary>Mutates <paramref name="pod"/> in place if it asks for a sidecar; reads the control plane's state from <paramref name="store"/>.</summary>
    public void Inject(JsonObject pod, ObjectStore store)
    {
        var annotations = pod["metadata"]?["annotations"] as JsonObject;
        var containers = pod["spec"]?["containers"] as JsonArray;
        if (!IsTruthy(annotations.Text(EnabledAnnotation)) || containers is null
            || containers.Any(c => c.Text("name") == SidecarContainerName)
            || annotations.Text(SkipInjectionAnnotation) == "skip")
        {
            return;
        }

        var appId = annotations.Text(AppIdAnnotation) is { Length: > 0 } id ? id : pod.Name();
        var controlPlane = ControlPlane.FindNamespace(store);
        var labels = pod.Metadata().Child("labels");
        labels["dapr.io/sidecar-injected"] = "true";
        labels["dapr.io/app-id"] = appId;
        labels["dapr.io/metrics-enabled"] = "true";

        foreach (var app in containers.OfType<JsonObject>())
        {
            AddEnvIfMissing(app, "DAPR_HTTP_PORT", "3500");
            AddEnvIfMissing(app, "DAPR_GRPC_PORT", "50001");
        }
        containers.Add(Sidecar(pod, annotations, appId, controlPlane, store));
    }

    private static JsonObject Sidecar(JsonObject pod, JsonObject? annotations, string appId, string controlPlane, ObjectStore store)
    {
        var args = new JsonArray(
            "--mode", "kubernetes",
            "--dapr-http-port", "3500",
            "--dapr-grpc-port", "50001",
            "--dapr-internal-grpc-port", "50002",
            "--dapr-listen-addresses", annotations.Text(ListenAddressesAnnotation) is { Length: > 0 } listen ? listen : DefaultListenAddresses,
            "--dapr-public-port", "3501",
            "--app-id", appId,
            "--control-plane-address", $"dapr-api.{controlPlane}.svc.cluster.local:443",
            "--sentry-address", $"dapr-sentry.{controlPlane}.svc.cluster.local:443",
            "--placement-host-address", $"dapr-placement-server.{controlPlane}.svc.cluster.local:50005",
            "--log-level", "info",
            "--enable-metrics",
            "--metrics-port", "9090");
        if (MtlsEnabled(store, controlPlane))
        {
            args.Add("--enable-mtls");
        }

        var env = new JsonArray(
            FieldEnv("NAMESPACE", "metadata.namespace"),
            FieldEnv("POD_NAME", "metadata.name"),
            ValueEnv("DAPR_CONTROLPLANE_NAMESPACE", controlPlane),
            ValueEnv("DAPR_CONTROLPLANE_TRUST_DOMAIN", "cluster.local"),
            ValueEnv("DAPR_TRUST_ANCHORS", TrustAnchors(store, controlPlane)));
        AddTokenEnv(env, "DAPR_API_TOKEN", annotations.Text(ApiTokenSecretAnnotation));
        AddTokenEnv(env, "APP_API_TOKEN", annotations.Text(AppTokenSecretAnnotation));

        return new JsonObject
        {
            ["name"] = SidecarContainerName,
            ["image"] = $"ghcr.io/dapr/daprd:{ControlPlane.RuntimeVersion(store, controlPlane)}",
            ["imagePullPolicy"] = "IfNotPresent",
            ["command"] = new JsonArray("/daprd"),
            ["args"] = args,
            ["env"] = env,
            ["ports"] = new JsonArray(
                Port("dapr-http", 3500), Port("dapr-grpc", 50001), Port("dapr-internal", 50002), Port("dapr-metrics", 9090)),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["runAsNonRoot"] = true,
            },
        };
    }

    /// <summary>The <c>daprsystem</c> Configuration's <c>spec.mtls.enabled</c>; a missing config or field means enabled.</summary>
    private static bool MtlsEnabled(ObjectStore store, string controlPlane)
    {
        var config = store.Get(ObjectKey.For(ResourceRegistry.DaprConfigurations, controlPlane, ControlPlane.SystemConfiguration))?.ToJsonObject();
        return config?["spec"]?["mtls"]?["enabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var value) || value;
    }

    /// <summary>The trust bundle ConfigMap's <c>ca.crt</c> as it is now; the sidecar keeps this copy for its whole life.</summary>
    private static string TrustAnchors(ObjectStore store, string controlPlane) =>
        store.Get(ObjectKey.For(ResourceRegistry.ConfigMaps, controlPlane, ControlPlane.TrustBundle))?.ToJsonObject().Text("data", "ca.crt") ?? "";

    private static void AddTokenEnv(JsonArray env, string variable, string? secretName)
    {
        if (!string.IsNullOrEmpty(secretName))
        {
            env.Add(new JsonObject
            {
                ["name"] = variable,
                ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secretName, ["key"] = "token" } },
            });
        }
    }

    private static void AddEnvIfMissing(JsonObject container, string name, string value)
    {
        var env = container.ChildArray("env");
        if (!env.Any(e => e.Text("name") == name))
        {
            env.Add(ValueEnv(name, value));
        }
    }

    private static JsonObject ValueEnv(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject FieldEnv(string name, string path) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = path } },
    };

    private static JsonObject Port(string name, int port) => new() { ["name"] = name, ["containerPort"] = port, ["protocol"] = "TCP" };
}
