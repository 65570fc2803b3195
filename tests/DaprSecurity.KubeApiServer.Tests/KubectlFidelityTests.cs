using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>
/// The real kubectl (1.32, protobuf creates, aggregated discovery, OpenAPI-validated apply) against the server. Each test
/// checks what kubectl printed and what the server then holds.
/// </summary>
public sealed class KubectlFidelityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private KubeApiServer Server => fixture.Server;

    private Kubectl Kubectl => fixture.Kubectl;

    [KubectlFact]
    public async Task GetNamespacesPrintsTheTable()
    {
        var output = await Kubectl.SucceedAsync("get", "ns");

        Assert.Matches(@"^NAME\s+STATUS\s+AGE", output);
        Assert.Matches(@"(?m)^default\s+Active\s+\d+[smhd]", output);
        Assert.Matches(@"(?m)^dapr-system\s+Active", output);
    }

    [KubectlFact]
    public async Task CreateNamespaceSendsProtobufAndIsStored()
    {
        var name = $"created-{Guid.NewGuid().ToString("N")[..6]}";

        Assert.Equal($"namespace/{name} created\n", await Kubectl.SucceedAsync("create", "namespace", name));

        var stored = Server.Get("", "v1", "namespaces", null, name);
        Assert.Equal("Active", stored.Str("status", "phase"));
    }

    [KubectlFact]
    public async Task CreateSecretFromLiteralThenAgainIsAlreadyExists()
    {
        var ns = fixture.CreateNamespace("secret");

        Assert.Equal("secret/tok created\n", await Kubectl.SucceedAsync("create", "secret", "generic", "tok", "--from-literal=token=s3cr3t", "-n", ns));
        var error = await Kubectl.FailAsync("create", "secret", "generic", "tok", "--from-literal=token=other", "-n", ns);

        Assert.Contains("error: failed to create secret secrets \"tok\" already exists", error);
        var stored = Server.Get("", "v1", "secrets", ns, "tok");
        Assert.Equal(Json.Base64("s3cr3t"), stored.Str("data", "token"));
        Assert.Equal("Opaque", stored.Str("type"));
    }

    [KubectlFact]
    public async Task CreateConfigMapAndTypedSecretSendProtobuf()
    {
        var ns = fixture.CreateNamespace("proto");

        Assert.Equal("configmap/cfg created\n", await Kubectl.SucceedAsync("create", "configmap", "cfg", "--from-literal=mode=fast", "-n", ns));
        Assert.Equal("secret/basic created\n", await Kubectl.SucceedAsync("create", "secret", "generic", "basic",
            "--type=kubernetes.io/basic-auth", "--from-literal=username=u", "--from-literal=password=p", "-n", ns));

        Assert.Equal("fast", Server.Get("", "v1", "configmaps", ns, "cfg").Str("data", "mode"));
        Assert.Equal("kubernetes.io/basic-auth", Server.Get("", "v1", "secrets", ns, "basic").Str("type"));
        Assert.Contains(Server.Requests.Entries, r => r is { Verb: "create", Resource: "configmaps", StatusCode: 201 } && r.Namespace == ns);
    }

    [KubectlFact]
    public async Task ApplyCreatesThenUpdatesASecretWithStringData()
    {
        var ns = fixture.CreateNamespace("apply");
        string Manifest(string token) =>
            $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: applied\n  namespace: {ns}\ntype: Opaque\nstringData:\n  token: {token}\n";

        Assert.Equal("secret/applied created\n", await Kubectl.SucceedWithInputAsync(Manifest("abc"), "apply", "-f", "-"));
        Assert.Equal("secret/applied configured\n", await Kubectl.SucceedWithInputAsync(Manifest("def"), "apply", "-f", "-"));

        var stored = Server.Get("", "v1", "secrets", ns, "applied")!;
        Assert.Equal(Json.Base64("def"), stored.Str("data", "token"));
        Assert.Null(stored["stringData"]);
        Assert.Contains("\"def\"", stored.Str("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"));
    }

    [KubectlFact]
    public async Task ApplyUpdatesADeploymentThroughStrategicMergePatch()
    {
        var ns = fixture.CreateNamespace("deploy");

        Assert.Equal("deployment.apps/web created\n", await Kubectl.SucceedWithInputAsync(Deployment(ns, "nginx:1", "1"), "apply", "-f", "-"));
        Assert.Equal("deployment.apps/web configured\n", await Kubectl.SucceedWithInputAsync(Deployment(ns, "nginx:2", "2"), "apply", "-f", "-"));

        var stored = Server.Get("apps", "v1", "deployments", ns, "web")!;
        Assert.Equal(2, stored.Long("metadata", "generation"));
        var container = Json.Walk(stored, "spec", "template", "spec", "containers", 0)!;
        Assert.Equal("nginx:2", container.Str("image"));
        Assert.Equal("2", container.Str("env", 0, "value"));
        Assert.Single((JsonArray)container["env"]!);
    }

    [KubectlFact]
    public async Task ServerSideApplyCreatesThenUpdates()
    {
        var ns = fixture.CreateNamespace("ssa");
        string Manifest(string value) =>
            $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: {ns}\ndata:\n  mode: {value}\n";

        Assert.Equal("configmap/settings serverside-applied\n", await Kubectl.SucceedWithInputAsync(Manifest("a"), "apply", "--server-side", "-f", "-"));
        Assert.Equal("configmap/settings serverside-applied\n", await Kubectl.SucceedWithInputAsync(Manifest("b"), "apply", "--server-side", "-f", "-"));

        Assert.Equal("b", Server.Get("", "v1", "configmaps", ns, "settings").Str("data", "mode"));
    }

    [KubectlFact]
    public async Task AnnotateUsesMergePatch()
    {
        var ns = fixture.CreateNamespace("annotate");
        await Kubectl.SucceedAsync("create", "secret", "generic", "tok", "--from-literal=token=x", "-n", ns);

        Assert.Equal("secret/tok annotated\n", await Kubectl.SucceedAsync("annotate", "secret", "tok", "-n", ns, "owner=team-a"));

        Assert.Equal("team-a", Server.Get("", "v1", "secrets", ns, "tok").Str("metadata", "annotations", "owner"));
    }

    [KubectlFact]
    public async Task PatchMergeAndStrategic()
    {
        var ns = fixture.CreateNamespace("patch");
        await Kubectl.SucceedWithInputAsync(Deployment(ns, "nginx:1", "1"), "apply", "-f", "-");

        Assert.Equal("deployment.apps/web patched\n", await Kubectl.SucceedAsync("patch", "deployment", "web", "-n", ns,
            "--type", "merge", "-p", """{"metadata":{"labels":{"tier":"front"}}}"""));
        Assert.Equal("deployment.apps/web patched\n", await Kubectl.SucceedAsync("patch", "deployment", "web", "-n", ns,
            "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"b"}]}]}}}}"""));

        var stored = Server.Get("apps", "v1", "deployments", ns, "web")!;
        Assert.Equal("front", stored.Str("metadata", "labels", "tier"));
        var env = (JsonArray)Json.Walk(stored, "spec", "template", "spec", "containers", 0, "env")!;
        Assert.Equal(["A", "B"], env.Select(e => e.Str("name")));
        Assert.Equal("nginx:1", stored.Str("spec", "template", "spec", "containers", 0, "image"));
    }

    [KubectlFact]
    public async Task GetAsJsonRoundTripsTheStoredObject()
    {
        var ns = fixture.CreateNamespace("json");
        await Kubectl.SucceedAsync("create", "secret", "generic", "tok", "--from-literal=token=s3cr3t", "-n", ns);

        var printed = JsonNode.Parse(await Kubectl.SucceedAsync("get", "secret", "tok", "-n", ns, "-o", "json"))!;

        Assert.True(JsonNode.DeepEquals(Server.Get("", "v1", "secrets", ns, "tok"), printed));
    }

    [KubectlFact]
    public async Task RolloutRestartThenStatusFinishes()
    {
        var ns = fixture.CreateNamespace("rollout");
        await Kubectl.SucceedWithInputAsync(Deployment(ns, "nginx:1", "1"), "apply", "-f", "-");
        await Kubectl.SucceedAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=30s");
        var before = Server.List("", "v1", "pods", ns).Select(p => p.Str("metadata", "name")).ToList();

        Assert.Equal("deployment.apps/web restarted\n", await Kubectl.SucceedAsync("rollout", "restart", "deployment/web", "-n", ns));
        var status = await Kubectl.SucceedAsync("rollout", "status", "deployment/web", "-n", ns, "--timeout=30s");

        Assert.EndsWith("deployment \"web\" successfully rolled out\n", status);
        var stored = Server.Get("apps", "v1", "deployments", ns, "web")!;
        Assert.NotNull(stored.Str("spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"));
        Assert.Equal(stored.Long("metadata", "generation"), stored.Long("status", "observedGeneration"));
        var after = Server.List("", "v1", "pods", ns).Select(p => p.Str("metadata", "name")).ToList();
        Assert.Single(after);
        Assert.DoesNotContain(after[0], before);
    }

    [KubectlFact]
    public async Task GetDaprComponentsInAllNamespaces()
    {
        var output = await Kubectl.SucceedAsync("get", "components.dapr.io", "-A");

        Assert.Matches(@"^NAMESPACE\s+NAME\s+AGE", output);
        Assert.Matches(@"(?m)^prod-orders\s+statestore\s+", output);
        Assert.Matches(@"(?m)^team-a\s+pubsub\s+", output);
    }

    [KubectlFact]
    public async Task ApplyUpdatesADaprComponentThroughMergePatch()
    {
        var ns = fixture.CreateNamespace("component");
        string Manifest(string scopes) =>
            $"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: cache\n  namespace: {ns}\nspec:\n  type: state.redis\n  version: v1\nscopes: [{scopes}]\n";

        Assert.Equal("component.dapr.io/cache created\n", await Kubectl.SucceedWithInputAsync(Manifest("a"), "apply", "-f", "-"));
        Assert.Equal("component.dapr.io/cache configured\n", await Kubectl.SucceedWithInputAsync(Manifest("a, b"), "apply", "-f", "-"));

        var stored = Server.Get("dapr.io", "v1alpha1", "components", ns, "cache")!;
        Assert.Equal(["a", "b"], ((JsonArray)stored["scopes"]!).Select(s => s!.GetValue<string>()));
        Assert.Equal(2, stored.Long("metadata", "generation"));
        Assert.Contains(Server.Requests.Entries, r => r is { Verb: "patch", Resource: "components" } && r.Namespace == ns);
    }

    [KubectlFact]
    public async Task DeleteRemovesTheObject()
    {
        var ns = fixture.CreateNamespace("delete");
        await Kubectl.SucceedAsync("create", "secret", "generic", "tok", "--from-literal=token=x", "-n", ns);

        Assert.Equal("secret \"tok\" deleted\n", await Kubectl.SucceedAsync("delete", "secret", "tok", "-n", ns));

        Assert.Null(Server.Get("", "v1", "secrets", ns, "tok"));
    }

    [KubectlFact]
    public async Task MissingObjectIsNotFound()
    {
        var error = await Kubectl.FailAsync("get", "secret", "nope", "-n", "default");

        Assert.Equal("Error from server (NotFound): secrets \"nope\" not found\n", error);
    }

    [KubectlFact]
    public async Task RestrictedUserMayReadButNotWriteSecrets()
    {
        var ns = fixture.CreateNamespace("rbac");
        await Kubectl.SucceedAsync("create", "secret", "generic", "tok", "--from-literal=token=x", "-n", ns);

        Assert.Contains("tok", await fixture.ReaderKubectl.SucceedAsync("get", "secrets", "-n", ns));
        var create = await fixture.ReaderKubectl.FailAsync("create", "secret", "generic", "other", "--from-literal=token=y", "-n", ns);
        var delete = await fixture.ReaderKubectl.FailAsync("delete", "secret", "tok", "-n", ns);

        Assert.Contains($"secrets is forbidden: User \"reader\" cannot create resource \"secrets\" in API group \"\" in the namespace \"{ns}\"", create);
        Assert.Equal($"Error from server (Forbidden): secrets \"tok\" is forbidden: User \"reader\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"{ns}\"\n", delete);
        Assert.NotNull(Server.Get("", "v1", "secrets", ns, "tok"));
        Assert.Null(Server.Get("", "v1", "secrets", ns, "other"));
    }

    [KubectlFact]
    public async Task ClientCertificateUserIsAuthenticated()
    {
        var path = Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"cert-{Guid.NewGuid():N}.kubeconfig"), "cert-user", clientCertificate: true);
        try
        {
            var output = await new Kubectl(path, Path.GetDirectoryName(Server.KubeconfigPath)!).SucceedAsync("get", "ns", "default");
            Assert.Contains("default", output);
            Assert.Contains(Server.Requests.Entries, r => r.User == "cert-user");
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static string Deployment(string ns, string image, string envValue) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {ns}
        spec:
          replicas: 1
          selector:
            matchLabels: {"{"}app: web{"}"}
          template:
            metadata:
              labels: {"{"}app: web{"}"}
            spec:
              containers:
              - name: c
                image: {image}
                env:
                - name: A
                  value: "{envValue}"
        """;
}
