using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>Request semantics over raw HTTP: selectors, paging, watch, validation, write rules, discovery and Tables.</summary>
public sealed class ApiSemanticsTests : IAsyncLifetime
{
    private KubeApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync(new KubeApiServerOptions { EventLogCapacity = 50 });
        _http = _server.CreateHttpClient();
        _server.Apply("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: b-ns}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: a-ns}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: zeta, namespace: a-ns, labels: {app: web, tier: front}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: alpha, namespace: b-ns, labels: {app: api}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: beta, namespace: a-ns, labels: {app: db, tier: back}}
            """);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("app=web", "zeta")]
    [InlineData("app==web", "zeta")]
    [InlineData("app!=web", "beta,alpha")]
    [InlineData("app in (web,api)", "zeta,alpha")]
    [InlineData("app notin (web,api)", "beta")]
    [InlineData("tier", "beta,zeta")]
    [InlineData("!tier", "alpha")]
    [InlineData("tier,app in (db)", "beta")]
    public async Task LabelSelectors(string selector, string expected)
    {
        var list = await GetJsonAsync($"/api/v1/configmaps?labelSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(expected, Names(list));
    }

    [Fact]
    public async Task FieldSelectorsAndTheirLimits()
    {
        Assert.Equal("zeta", Names(await GetJsonAsync("/api/v1/configmaps?fieldSelector=metadata.name%3Dzeta")));
        Assert.Equal("alpha", Names(await GetJsonAsync("/api/v1/configmaps?fieldSelector=metadata.namespace%21%3Da-ns")));

        using var unsupported = await _http.GetAsync("/api/v1/configmaps?fieldSelector=data.x%3Dy");
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.StatusCode);
    }

    [Fact]
    public async Task ListsAreSortedAndPagedWithContinue()
    {
        var first = await GetJsonAsync("/api/v1/configmaps?limit=2");
        var token = first.Str("metadata", "continue")!;
        var rest = await GetJsonAsync($"/api/v1/configmaps?limit=2&continue={Uri.EscapeDataString(token)}");

        Assert.Equal("beta,zeta", Names(first));
        Assert.Equal(1, first.Long("metadata", "remainingItemCount"));
        Assert.Equal("alpha", Names(rest));
        Assert.Null(rest.Str("metadata", "continue"));
    }

    [Fact]
    public async Task WatchReplaysFromAResourceVersionAndEndsAtTheTimeout()
    {
        var version = (await GetJsonAsync("/api/v1/namespaces/a-ns/configmaps")).Str("metadata", "resourceVersion");
        _server.Apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: a-ns, labels: {app: web}}\n");

        var replayed = await WatchAsync($"/api/v1/namespaces/a-ns/configmaps?watch=true&resourceVersion={version}&timeoutSeconds=1");
        var initial = await WatchAsync("/api/v1/namespaces/a-ns/configmaps?watch=1&labelSelector=app%3Dweb&timeoutSeconds=1");

        Assert.Equal(["ADDED late"], replayed);
        Assert.Equal(["ADDED late", "ADDED zeta"], initial.Order());
    }

    [Fact]
    public async Task WatchFromACompactedVersionIsExpired()
    {
        for (var i = 0; i < 60; i++)
        {
            _server.Apply($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: churn, namespace: a-ns}}\ndata: {{i: \"{i}\"}}\n");
        }

        var events = await WatchAsync("/api/v1/namespaces/a-ns/configmaps?watch=true&resourceVersion=2&timeoutSeconds=1", raw: true);

        var error = JsonNode.Parse(Assert.Single(events))!;
        Assert.Equal("ERROR", error.Str("type"));
        Assert.Equal(("Expired", 410L), (error.Str("object", "reason"), error.Long("object", "code")!.Value));
    }

    [Fact]
    public async Task CreateValidatesNamesNamespacesAndGeneratesNames()
    {
        var invalid = await PostAsync("/api/v1/namespaces/a-ns/secrets", """{"metadata":{"name":"Bad_Name"}}""");
        var missingNamespace = await PostAsync("/api/v1/namespaces/nowhere/secrets", """{"metadata":{"name":"s"}}""");
        var generated = await PostAsync("/api/v1/namespaces/a-ns/secrets", """{"metadata":{"generateName":"tok-"}}""");
        var dryRun = await PostAsync("/api/v1/namespaces/a-ns/secrets?dryRun=All", """{"metadata":{"name":"dry"}}""");

        Assert.Equal(422, invalid.Long("code"));
        Assert.StartsWith("Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", invalid.Str("message"));
        Assert.Equal("metadata.name", invalid.Str("details", "causes", 0, "field"));
        Assert.Equal((404L, "namespaces \"nowhere\" not found"), (missingNamespace.Long("code")!.Value, missingNamespace.Str("message")));
        Assert.Matches("^tok-[a-z0-9]{5}$", generated.Str("metadata", "name"));
        Assert.Equal("dry", dryRun.Str("metadata", "name"));
        Assert.Null(_server.Get("", "v1", "secrets", "a-ns", "dry"));
    }

    [Fact]
    public async Task SecretsFollowTheirWriteRules()
    {
        var created = await PostAsync("/api/v1/namespaces/a-ns/secrets",
            """{"metadata":{"name":"frozen"},"stringData":{"k":"v"},"immutable":true}""", "application/json; charset=utf-8");
        var changeData = await PatchAsync("/api/v1/namespaces/a-ns/secrets/frozen", """{"data":{"k":"eA=="}}""");
        var changeType = await PatchAsync("/api/v1/namespaces/a-ns/secrets/frozen", """{"type":"kubernetes.io/tls"}""");
        var relabel = await PatchAsync("/api/v1/namespaces/a-ns/secrets/frozen", """{"metadata":{"labels":{"ok":"yes"}}}""");

        Assert.Equal(("Opaque", "dg=="), (created.Str("type"), created.Str("data", "k")));
        Assert.Null(created["stringData"]);
        Assert.Null(created.Long("metadata", "generation"));
        Assert.Equal("Secret \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set", changeData.Str("message"));
        Assert.Equal("FieldValueForbidden", changeData.Str("details", "causes", 0, "reason"));
        Assert.Equal("Secret \"frozen\" is invalid: type: Invalid value: \"kubernetes.io/tls\": field is immutable", changeType.Str("message"));
        Assert.Equal("yes", relabel.Str("metadata", "labels", "ok"));
    }

    [Fact]
    public async Task PatchCarryingAnOldResourceVersionConflictsAndPutRequiresAMatch()
    {
        var created = await PostAsync("/api/v1/namespaces/a-ns/configmaps", """{"metadata":{"name":"locked"},"data":{"a":"1"}}""");
        await PatchAsync("/api/v1/namespaces/a-ns/configmaps/locked", """{"data":{"a":"2"}}""");

        var stale = await PatchAsync("/api/v1/namespaces/a-ns/configmaps/locked",
            $$$"""{"metadata":{"resourceVersion":"{{{created.Str("metadata", "resourceVersion")}}}"},"data":{"a":"3"}}""");
        using var unconditional = await _http.PutAsync("/api/v1/namespaces/a-ns/configmaps/locked",
            new StringContent("""{"metadata":{"name":"locked"},"data":{"a":"4"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(("Conflict", 409L), (stale.Str("reason"), stale.Long("code")!.Value));
        Assert.Equal(HttpStatusCode.OK, unconditional.StatusCode);
        var stored = _server.Get("", "v1", "configmaps", "a-ns", "locked")!;
        Assert.Equal("4", stored.Str("data", "a"));
        Assert.False(stored["metadata"]!.AsObject().ContainsKey("generation"));
    }

    [Fact]
    public async Task DeploymentGenerationFollowsSpecAndAnnotations()
    {
        _server.Apply(KubectlFidelityTests.Deployment("a-ns", "nginx:1", "1"));

        var labelled = await PatchAsync("/apis/apps/v1/namespaces/a-ns/deployments/web", """{"metadata":{"labels":{"x":"1"}}}""");
        var annotated = await PatchAsync("/apis/apps/v1/namespaces/a-ns/deployments/web", """{"metadata":{"annotations":{"x":"1"}}}""");
        var scaled = await PatchAsync("/apis/apps/v1/namespaces/a-ns/deployments/web", """{"spec":{"replicas":3}}""");
        var unsupported = await PatchAsync("/apis/apps/v1/namespaces/a-ns/deployments/web", "{}", "application/x-unknown");

        Assert.Equal([1L, 2L, 3L], new[] { labelled, annotated, scaled }.Select(d => d.Long("metadata", "generation")!.Value));
        Assert.Equal(("UnsupportedMediaType", 415L), (unsupported.Str("reason"), unsupported.Long("code")!.Value));
    }

    [Fact]
    public async Task TablesCarryTheRealColumns()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/a-ns/configmaps");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using var response = await _http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("Table", table.Str("kind"));
        Assert.Equal(["Name", "Data", "Age"], ((JsonArray)table["columnDefinitions"]!).Select(c => c.Str("name")));
        Assert.Equal("beta", table.Str("rows", 0, "cells", 0));
        Assert.Equal("a-ns", table.Str("rows", 0, "object", "metadata", "namespace"));
    }

    [Fact]
    public async Task DiscoveryAndOpenApiListEveryServedGroupVersion()
    {
        using var aggregated = new HttpRequestMessage(HttpMethod.Get, "/apis");
        aggregated.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        using var response = await _http.SendAsync(aggregated);
        var groups = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var legacy = await GetJsonAsync("/apis/dapr.io/v1alpha1");
        var openApi = await GetJsonAsync("/openapi/v3");
        var version = await GetJsonAsync("/version");

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", ""));
        Assert.Equal(["apps", "networking.k8s.io", "dapr.io"], ((JsonArray)groups["items"]!).Select(g => g.Str("metadata", "name")));
        Assert.Contains((JsonArray)legacy["resources"]!, r => r.Str("name") == "httpendpoints");
        Assert.NotNull(openApi["paths"]!["apis/dapr.io/v1alpha1"]);
        Assert.NotNull(openApi["paths"]!["api/v1"]);
        Assert.Equal("32", version.Str("minor"));
    }

    private static string Names(JsonNode list) => string.Join(',', ((JsonArray)list["items"]!).Select(i => i.Str("metadata", "name")));

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> PostAsync(string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _http.PostAsync(path, content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> PatchAsync(string path, string body, string contentType = "application/merge-patch+json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _http.PatchAsync(path, content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Reads a watch until the server ends it; returns "TYPE name" per event, or the raw lines.</summary>
    private async Task<List<string>> WatchAsync(string path, bool raw = false)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var change = JsonNode.Parse(line)!;
            events.Add(raw ? line : $"{change.Str("type")} {change.Str("object", "metadata", "name")}");
        }
        return events;
    }
}
