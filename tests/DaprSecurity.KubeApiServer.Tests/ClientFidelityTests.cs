using System.Text;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>The kubectl scenarios again, through KubernetesClient 21.0.8 (HTTP/2, JSON with charset, typed and custom-object APIs, watch).</summary>
public sealed class ClientFidelityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private KubeApiServer Server => fixture.Server;

    private Kubernetes Client => fixture.Client;

    [Fact]
    public async Task ListsNamespaces()
    {
        var namespaces = await Client.CoreV1.ListNamespaceAsync();

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default" && n.Status.Phase == "Active");
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "dapr-system");
    }

    [Fact]
    public async Task CreatesASecretThenAgainIsAlreadyExists()
    {
        var ns = await NewNamespaceAsync("secret");
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "tok" }, StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" } };

        var created = await Client.CoreV1.CreateNamespacedSecretAsync(secret, ns);
        var again = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedSecretAsync(secret, ns));

        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(created.Data["token"]));
        Assert.Null(created.StringData);
        Assert.Equal("Opaque", created.Type);
        AssertStatus(again, 409, "AlreadyExists", "secrets \"tok\" already exists");
        Assert.Equal(Json.Base64("s3cr3t"), Server.Get("", "v1", "secrets", ns, "tok").Str("data", "token"));
    }

    [Fact]
    public async Task ReplaceWithAStaleResourceVersionIsAConflict()
    {
        var ns = await NewNamespaceAsync("conflict");
        var secret = await Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "tok" }, StringData = new Dictionary<string, string> { ["token"] = "1" } }, ns);
        secret.StringData = new Dictionary<string, string> { ["token"] = "2" };
        await Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "tok", ns);

        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "tok", ns));

        AssertStatus(stale, 409, "Conflict",
            "Operation cannot be fulfilled on secrets \"tok\": the object has been modified; please apply your changes to the latest version and try again");
        Assert.Equal(Json.Base64("2"), Server.Get("", "v1", "secrets", ns, "tok").Str("data", "token"));
    }

    [Fact]
    public async Task PatchesMergeStrategicAndJson()
    {
        var ns = await NewNamespaceAsync("patch");
        Server.Apply(KubectlFidelityTests.Deployment(ns, "nginx:1", "1"));

        await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"tier":"front"}}}""", V1Patch.PatchType.MergePatch), "web", ns);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"b"}]}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", ns);
        var patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """[{"op":"replace","path":"/spec/replicas","value":2}]""", V1Patch.PatchType.JsonPatch), "web", ns);

        Assert.Equal("front", patched.Metadata.Labels["tier"]);
        Assert.Equal(["A", "B"], patched.Spec.Template.Spec.Containers[0].Env.Select(e => e.Name));
        Assert.Equal(2, patched.Spec.Replicas);
        Assert.Equal(3, patched.Metadata.Generation);
    }

    [Fact]
    public async Task ServerSideApplyCreatesThenMerges()
    {
        var ns = await NewNamespaceAsync("ssa");
        V1Patch Apply(string mode) => new($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"{{{mode}}}":"on"}}""",
            V1Patch.PatchType.ApplyPatch);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(Apply("a"), "settings", ns, fieldManager: "tests", force: true);
        var merged = await Client.CoreV1.PatchNamespacedConfigMapAsync(Apply("b"), "settings", ns, fieldManager: "tests", force: true);
        var withoutManager = await Assert.ThrowsAsync<HttpOperationException>(
            () => Client.CoreV1.PatchNamespacedConfigMapAsync(Apply("c"), "settings", ns));

        Assert.Equal(["a", "b"], merged.Data.Keys.Order());
        AssertStatus(withoutManager, 422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    }

    [Fact]
    public async Task ReadsWhatTheServerHolds()
    {
        var read = await Client.CoreV1.ReadNamespacedSecretAsync("dapr-trust-bundle", "dapr-system");

        Assert.Equal(fixture.Seed.Root.CertificatePem, Encoding.UTF8.GetString(read.Data["ca.crt"]));
        Assert.Equal(Server.Get("", "v1", "secrets", "dapr-system", "dapr-trust-bundle").Str("metadata", "resourceVersion"), read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task DeletesThenReadIsNotFound()
    {
        var ns = await NewNamespaceAsync("delete");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "gone" } }, ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("gone", ns);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("gone", ns));

        AssertStatus(missing, 404, "NotFound", "configmaps \"gone\" not found");
        Assert.Null(Server.Get("", "v1", "configmaps", ns, "gone"));
    }

    [Fact]
    public async Task RestrictedUserMayReadButNotWriteSecrets()
    {
        var ns = await NewNamespaceAsync("rbac");

        var list = await fixture.ReaderClient.CoreV1.ListNamespacedSecretAsync(ns);
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.ReaderClient.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "x" } }, ns));

        Assert.Empty(list.Items);
        AssertStatus(denied, 403, "Forbidden",
            $"secrets is forbidden: User \"reader\" cannot create resource \"secrets\" in API group \"\" in the namespace \"{ns}\"");
    }

    [Fact]
    public async Task DaprComponentsAreCustomObjects()
    {
        var ns = await NewNamespaceAsync("dapr");
        var all = await Client.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonObject>("dapr.io", "v1alpha1", "components");
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = "dapr.io/v1alpha1",
            ["kind"] = "Component",
            ["metadata"] = new JsonObject { ["name"] = "secretstore" },
            ["spec"] = new JsonObject { ["type"] = "secretstores.kubernetes", ["version"] = "v1" },
        }, "dapr.io", "v1alpha1", ns, "components");

        var strategic = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"version":"v2"}}""", V1Patch.PatchType.StrategicMergePatch), "dapr.io", "v1alpha1", ns, "components", "secretstore"));
        var unconditional = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
            new JsonObject { ["apiVersion"] = "dapr.io/v1alpha1", ["kind"] = "Component", ["metadata"] = new JsonObject { ["name"] = "secretstore" } },
            "dapr.io", "v1alpha1", ns, "components", "secretstore"));
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"scopes":["orders"]}""", V1Patch.PatchType.MergePatch), "dapr.io", "v1alpha1", ns, "components", "secretstore");

        Assert.True(((JsonArray)all["items"]!).Count >= 6);
        Assert.Equal(415, (int)strategic.Response.StatusCode);
        AssertStatus(unconditional, 422, "Invalid",
            "Component.dapr.io \"secretstore\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
        Assert.Equal("orders", Server.Get("dapr.io", "v1alpha1", "components", ns, "secretstore").Str("scopes", 0));
    }

    [Fact]
    public async Task WatchSeesARolloutFinish()
    {
        var ns = await NewNamespaceAsync("watch");
        Server.Apply(KubectlFidelityTests.Deployment(ns, "nginx:1", "1"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var restarted = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", ns, cancellationToken: timeout.Token);
        V1Deployment? done = null;
        await foreach (var (_, deployment) in Client.AppsV1.WatchListNamespacedDeploymentAsync(ns,
            fieldSelector: "metadata.name=web", resourceVersion: restarted.Metadata.ResourceVersion, cancellationToken: timeout.Token))
        {
            if (deployment.Status is { } status && status.ObservedGeneration == restarted.Metadata.Generation && status.AvailableReplicas == 1)
            {
                done = deployment;
                break;
            }
        }

        Assert.NotNull(done);
        Assert.Contains(done.Status.Conditions, c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable");
    }

    [Fact]
    public async Task ClientCertificateAuthenticates()
    {
        var path = Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"cert-{Guid.NewGuid():N}.kubeconfig"), "cert-client", clientCertificate: true);
        try
        {
            using var client = ServerFixture.ClientFor(path);
            var ns = await client.CoreV1.ReadNamespaceAsync("default");
            Assert.Equal("default", ns.Metadata.Name);
            Assert.Contains(Server.Requests.Entries, r => r.User == "cert-client");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static void AssertStatus(HttpOperationException error, int code, string reason, string message)
    {
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal(code, (int)error.Response.StatusCode);
        Assert.Equal("Status", status.Str("kind"));
        Assert.Equal(reason, status.Str("reason"));
        Assert.Equal(message, status.Str("message"));
        Assert.Equal(code, status.Long("code"));
    }
}
