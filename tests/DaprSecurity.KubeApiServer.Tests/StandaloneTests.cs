using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using k8s;
using k8s.Autorest;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>
/// The exe: starts, seeds, writes the kubeconfig it announces, serves the admin endpoint, and stops cleanly on SIGTERM or
/// when the process it was told to exit with ends. SIGTERM, not SIGINT: where the suite runs in a background job, nohup or
/// some CI runners, SIGINT is ignored by every child, so a test that relies on it can never pass there.
/// </summary>
public sealed class StandaloneTests
{
    [Fact]
    public async Task Runs_until_terminated()
    {
        await using var standalone = await Standalone.StartAsync("--dapr");

        Assert.StartsWith("https://127.0.0.1:", standalone.Announced("Kubernetes API server listening on "));
        using var client = ServerFixture.ClientFor(standalone.Kubeconfig);
        var sentry = await client.AppsV1.ReadNamespacedDeploymentAsync("dapr-sentry", "dapr-system");
        Assert.Equal("sentry", sentry.Spec.Template.Metadata.Annotations["dapr.io/control-plane"]);

        Assert.Equal(0, await standalone.TerminateAsync());
    }

    [Fact]
    public async Task Dapr_seed_takes_the_control_plane_namespace_version_and_app_namespaces()
    {
        await using var standalone = await Standalone.StartAsync("--dapr", "--control-plane-namespace", "dapr-ops", "--dapr-version", "1.13.6", "--app-namespaces", "1");
        using var client = ServerFixture.ClientFor(standalone.Kubeconfig);

        var sentry = await client.AppsV1.ReadNamespacedDeploymentAsync("dapr-sentry", "dapr-ops");
        Assert.EndsWith(":1.13.6", sentry.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        Assert.Equal(["app-0001"], (await client.AppsV1.ListNamespacedDeploymentAsync("app-0001")).Items.Select(d => d.Metadata.NamespaceProperty).Distinct());
        Assert.Empty((await client.AppsV1.ListNamespacedDeploymentAsync("dapr-system")).Items);
    }

    [Fact]
    public async Task Lab_manifests_are_the_shop_namespace_as_stored_one_file_per_object()
    {
        var folder = Directory.CreateTempSubdirectory("lab-manifests-");
        try
        {
            await using var standalone = await Standalone.StartAsync("--lab", "--manifests", folder.FullName);
            Assert.Equal(folder.FullName, standalone.Announced("lab manifests: "));
            var files = Directory.GetFiles(folder.FullName, "*.yaml", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder.FullName, f).Replace('\\', '/')).Order();
            Assert.Equal(["apps/inventory-api.yaml", "apps/notification-service.yaml", "apps/order-api.yaml", "components/pubsub.yaml", "components/statestore.yaml"], files);
            using var client = ServerFixture.ClientFor(standalone.Kubeconfig);
            var stored = await client.AppsV1.ReadNamespacedDeploymentAsync("order-api", "shop");
            var written = Assert.Single(DaprSecurity.KubeApiServer.Manifests.ManifestLoader.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "apps", "order-api.yaml"))));
            Assert.Equal("shop", written["metadata"]!["namespace"]!.GetValue<string>());
            Assert.Equal(stored.Spec.Template.Metadata.Annotations["dapr.io/app-id"], written["spec"]!["template"]!["metadata"]!["annotations"]!["dapr.io/app-id"]!.GetValue<string>());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Lab_seed_has_the_guide_apps_an_issuer_expiring_in_20_days_and_no_tokens()
    {
        await using var standalone = await Standalone.StartAsync("--lab", "--app-namespaces", "2");
        using var client = ServerFixture.ClientFor(standalone.Kubeconfig);

        var apps = (await client.AppsV1.ListNamespacedDeploymentAsync("shop")).Items.Select(d => d.Metadata.Name).Order();
        Assert.Equal(["inventory-api", "notification-service", "order-api"], apps);
        var bundle = await client.CoreV1.ReadNamespacedSecretAsync("dapr-trust-bundle", "dapr-system");
        using var issuer = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(System.Text.Encoding.UTF8.GetString(bundle.Data["issuer.crt"]));
        Assert.Equal(20, (int)(issuer.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays);
        var tokenSecrets = (await client.CoreV1.ListSecretForAllNamespacesAsync()).Items.Where(s => s.Metadata.Name.EndsWith("api-token", StringComparison.Ordinal));
        Assert.Equal(["app-0001", "app-0002"], tokenSecrets.Select(s => s.Metadata.NamespaceProperty));   // only the extra namespaces, in the Dapr-installed style
    }

    [Fact]
    public async Task Admin_endpoint_needs_the_admin_token_and_drives_faults_users_and_counters()
    {
        await using var standalone = await Standalone.StartAsync("--dapr");
        using var admin = new HttpClient { BaseAddress = new Uri(standalone.Announced("admin endpoint: ")) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/requests")).StatusCode);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", standalone.AdminToken);
        using var client = ServerFixture.ClientFor(standalone.Kubeconfig);

        (await admin.DeleteAsync("/requests")).EnsureSuccessStatusCode();
        await client.CoreV1.ListNamespaceAsync();
        var counters = await admin.GetFromJsonAsync<JsonObject>("/requests");
        Assert.Equal(1, counters.Long("counts", 0, "count"));
        Assert.Equal("namespaces", counters.Str("counts", 0, "resource"));
        var recent = Assert.Single((await admin.GetFromJsonAsync<JsonArray>("/requests/recent"))!);
        Assert.Equal(("GET", "list", "namespaces", 200), (recent.Str("method"), recent.Str("verb"), recent.Str("resource"), (int)recent.Long("statusCode")!));

        (await admin.PostAsJsonAsync("/faults", new { kind = "ServiceUnavailable", verb = "get", resource = "namespaces", times = 1 })).EnsureSuccessStatusCode();
        var unavailable = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespaceAsync("default"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/faults", new { kind = "NoSuchFault" })).StatusCode);

        var created = await (await admin.PostAsJsonAsync("/users", new { name = "reader", forbidden = new[] { new { verbs = "list", resources = "secrets" } } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var readerKubeconfig = Path.Combine(standalone.Directory, "reader.kubeconfig");
        await File.WriteAllTextAsync(readerKubeconfig, created.Str("kubeconfig"));
        using var reader = ServerFixture.ClientFor(readerKubeconfig);
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => reader.CoreV1.ListNamespacedSecretAsync("default"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
        await reader.CoreV1.ListNamespacedConfigMapAsync("default");
    }

    [Fact]
    public async Task Admin_endpoint_applies_reads_and_deletes_objects()
    {
        await using var standalone = await Standalone.StartAsync("--dapr");
        using var admin = new HttpClient { BaseAddress = new Uri(standalone.Announced("admin endpoint: ")) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", standalone.AdminToken);
        using var client = ServerFixture.ClientFor(standalone.Kubeconfig);

        var applied = await (await admin.PostAsync("/manifests", new StringContent("apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: extra}\ndata: {k: v}\n")))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(2, applied.Long("applied"));
        Assert.Equal("v", (await client.CoreV1.ReadNamespacedConfigMapAsync("c", "extra")).Data["k"]);
        var stored = await admin.GetFromJsonAsync<JsonObject>("/object?version=v1&resource=configmaps&namespace=extra&name=c");
        Assert.Equal("v", stored.Str("data", "k"));
        Assert.Equal("sentry", (await admin.GetFromJsonAsync<JsonObject>("/object?group=apps&version=v1&resource=deployments&namespace=dapr-system&name=dapr-sentry"))
            .Str("spec", "template", "metadata", "annotations", "dapr.io/control-plane"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/object?version=v1&resource=configmaps&namespace=extra&name=c")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/object?version=v1&resource=configmaps&namespace=extra&name=c")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/object?version=v1&resource=configmaps&namespace=extra&name=c")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/manifests", new StringContent("apiVersion: v9\nkind: Nothing\nmetadata: {name: x}\n"))).StatusCode);
    }

    [Fact]
    public async Task Exits_when_the_process_it_exits_with_ends()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600"))!;
        await using var standalone = await Standalone.StartAsync("--exit-with", parent.Id.ToString());

        parent.Kill();

        Assert.Equal(0, await standalone.WaitForExitAsync());
    }

    /// <summary>The exe in a child process, with the lines it announced before "Press Ctrl+C to stop."</summary>
    private sealed class Standalone : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines;

        private Standalone(Process process, List<string> lines, string directory)
        {
            _process = process;
            _lines = lines;
            Directory = directory;
        }

        public string Directory { get; }

        public string Kubeconfig => Path.Combine(Directory, "kubeconfig");

        public string AdminToken => File.ReadLines(Kubeconfig).Select(l => l.Trim()).Single(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..];

        public static async Task<Standalone> StartAsync(params string[] options)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("standalone-").FullName;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "DaprSecurity.KubeApiServer.dll"), "--kubeconfig", Path.Combine(directory, "kubeconfig") }.Concat(options))
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start)!;
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && !line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
            var standalone = new Standalone(process, lines, directory);
            Assert.Contains($"kubeconfig: {standalone.Kubeconfig}", lines);
            return standalone;
        }

        public string Announced(string prefix) =>
            _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..]
            ?? throw new Xunit.Sdk.XunitException($"the server did not announce \"{prefix}\"; it wrote: {string.Join(" | ", _lines)}");

        public async Task<int> TerminateAsync()
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
            return await WaitForExitAsync();
        }

        public async Task<int> WaitForExitAsync()
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException("the server did not exit within 15 s");
            }
            return _process.ExitCode;
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            _process.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
