using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>The injector stand-in and the kubelet's reaction to missing token secrets.</summary>
public sealed class SidecarInjectorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private KubeApiServer Server => fixture.Server;

    [Fact]
    public async Task InjectsDaprdWithTokenReferencesAndTheCurrentTrustAnchors()
    {
        var ns = fixture.CreateNamespace("inject");
        Server.Apply(Secret(ns, "api-tok") + Secret(ns, "app-tok"));
        Server.Apply(DaprDeployment(ns, "checkout", """
            dapr.io/enabled: "On"
            dapr.io/app-id: checkout-api
            dapr.io/api-token-secret: api-tok
            dapr.io/app-token-secret: app-tok
            dapr.io/sidecar-listen-addresses: 0.0.0.0
            """));

        var pod = await ReadyPodAsync(ns);
        var daprd = Container(pod, "daprd")!;
        var args = ((JsonArray)daprd["args"]!).Select(a => a!.GetValue<string>()).ToList();

        Assert.Equal("true", pod.Str("metadata", "labels", "dapr.io/sidecar-injected"));
        Assert.Equal("checkout-api", pod.Str("metadata", "labels", "dapr.io/app-id"));
        Assert.Equal("checkout-api", args[args.IndexOf("--app-id") + 1]);
        Assert.Equal("0.0.0.0", args[args.IndexOf("--dapr-listen-addresses") + 1]);
        Assert.Contains("--enable-mtls", args);
        Assert.Equal(fixture.Seed.Root.CertificatePem, Env(daprd, "DAPR_TRUST_ANCHORS").Str("value"));
        Assert.Equal(Server.Get("", "v1", "configmaps", "dapr-system", "dapr-trust-bundle").Str("data", "ca.crt"),
            Env(daprd, "DAPR_TRUST_ANCHORS").Str("value"));
        Assert.Equal("api-tok", Env(daprd, "DAPR_API_TOKEN").Str("valueFrom", "secretKeyRef", "name"));
        Assert.Equal("token", Env(daprd, "DAPR_API_TOKEN").Str("valueFrom", "secretKeyRef", "key"));
        Assert.Equal("app-tok", Env(daprd, "APP_API_TOKEN").Str("valueFrom", "secretKeyRef", "name"));
        Assert.Equal([3500L, 50001L, 50002L, 9090L], ((JsonArray)daprd["ports"]!).Select(p => p.Long("containerPort")!.Value));
        Assert.Equal("ghcr.io/dapr/daprd:1.16.2", daprd.Str("image"));
    }

    [Fact]
    public async Task MissingTokenSecretBlocksThePodUntilTheSecretExists()
    {
        var ns = fixture.CreateNamespace("missing");
        Server.Apply(DaprDeployment(ns, "cart", """
            dapr.io/enabled: "true"
            dapr.io/api-token-secret: absent
            """));

        var waiting = await Eventually.GetAsync(() => Pods(ns).FirstOrDefault(), p => Container(p, "daprd", status: true) is not null, "pod status");
        Assert.Equal("CreateContainerConfigError", Container(waiting, "daprd", status: true)!.Str("state", "waiting", "reason"));
        Assert.Equal("secret \"absent\" not found", Container(waiting, "daprd", status: true)!.Str("state", "waiting", "message"));
        Assert.False(Container(waiting, "daprd", status: true)!["ready"]!.GetValue<bool>());
        var reported = await Eventually.GetAsync(() => Server.Get("apps", "v1", "deployments", ns, "cart"),
            d => d.Long("status", "observedGeneration") == 1, "the rollout reported");
        Assert.Equal(0, reported.Long("status", "availableReplicas"));

        Server.Apply($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: absent\n  namespace: {ns}\nstringData:\n  other: x\n");
        var wrongKey = await Eventually.GetAsync(() => Pods(ns).FirstOrDefault(),
            p => Container(p, "daprd", status: true).Str("state", "waiting", "message")?.StartsWith("couldn't find key") == true, "missing key");
        Assert.Equal($"couldn't find key token in Secret {ns}/absent", Container(wrongKey, "daprd", status: true).Str("state", "waiting", "message"));

        Server.Apply(Secret(ns, "absent"));
        await Eventually.GetAsync(() => Server.Get("apps", "v1", "deployments", ns, "cart"), d => d.Long("status", "availableReplicas") == 1, "availability");
    }

    [Fact]
    public async Task AppIdDefaultsToThePodNameAndMtlsFollowsTheDaprsystemConfiguration()
    {
        await using var server = await KubeApiServer.StartAsync();
        server.SeedDapr(new DaprSeedOptions { MtlsEnabled = false, AppNamespaces = [] });
        server.Apply("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: solo
              namespace: default
              annotations: {dapr.io/enabled: "yes"}
            spec:
              containers: [{name: app, image: app:1}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: plain
              namespace: default
              annotations: {dapr.io/enabled: "nope"}
            spec:
              containers: [{name: app, image: app:1}]
            """);

        var daprd = Container(server.Get("", "v1", "pods", "default", "solo")!, "daprd")!;
        var args = ((JsonArray)daprd["args"]!).Select(a => a!.GetValue<string>()).ToList();

        Assert.Equal("solo", args[args.IndexOf("--app-id") + 1]);
        Assert.DoesNotContain("--enable-mtls", args);
        Assert.Equal("[::1],127.0.0.1", args[args.IndexOf("--dapr-listen-addresses") + 1]);
        Assert.Single((JsonArray)server.Get("", "v1", "pods", "default", "plain")!["spec"]!["containers"]!);
    }

    private IReadOnlyList<JsonObject> Pods(string ns) => Server.List("", "v1", "pods", ns);

    private Task<JsonObject> ReadyPodAsync(string ns) => Eventually.GetAsync(() => Pods(ns).FirstOrDefault(),
        p => p.Str("status", "phase") == "Running", "a running pod");

    /// <summary>The container (or, with <paramref name="status"/>, its status) named so; null while the kubelet has not reported it yet.</summary>
    private static JsonNode? Container(JsonObject pod, string name, bool status = false) =>
        (Json.Walk(pod, status ? "status" : "spec", status ? "containerStatuses" : "containers") as JsonArray)?.FirstOrDefault(c => c.Str("name") == name);

    private static JsonNode Env(JsonNode container, string name) => ((JsonArray)container["env"]!).First(e => e.Str("name") == name)!;

    private static string Secret(string ns, string name) =>
        $"---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {ns}\nstringData:\n  token: t-{name}\n";

    internal static string DaprDeployment(string ns, string name, string annotations) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: 1
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
              annotations:
        {Indent(annotations, "        ")}
            spec:
              containers:
              - name: app
                image: example/{name}:1
        """;

    private static string Indent(string text, string prefix) =>
        string.Join('\n', text.Split('\n').Select(line => prefix + line));
}
