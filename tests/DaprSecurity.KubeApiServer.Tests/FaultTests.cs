using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>Injected latency and failures, and the request counters tests assert on.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private const string Secrets = "/api/v1/namespaces/default/secrets";

    private KubeApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync(new KubeApiServerOptions { RandomSeed = 7 });
        _http = _server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task TooManyRequestsCarriesRetryAfterForTheNextMatchingRequestsOnly()
    {
        var rule = _server.Faults.Add(new FaultRule(FaultKind.TooManyRequests) { Verb = "list", Resource = "secrets", Times = 1, RetryAfter = TimeSpan.FromSeconds(3) });

        using var throttled = await _http.GetAsync(Secrets);
        using var other = await _http.GetAsync("/api/v1/namespaces/default/configmaps");
        using var next = await _http.GetAsync(Secrets);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), throttled.Headers.RetryAfter?.Delta);
        var status = JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!;
        Assert.Equal(("TooManyRequests", 429L), (status.Str("reason"), status.Long("code")!.Value));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, rule.Fired);
    }

    [Fact]
    public async Task ServerErrorsResetsAndHangs()
    {
        _server.Faults.Add(new FaultRule(FaultKind.InternalError) { Verb = "get", Resource = "namespaces", Times = 1 });
        _server.Faults.Add(new FaultRule(FaultKind.ServiceUnavailable) { Verb = "get", Resource = "namespaces", Times = 1 });
        _server.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Verb = "get", Resource = "namespaces", Times = 1 });
        _server.Faults.Add(new FaultRule(FaultKind.Hang) { When = request => request.Path.EndsWith("/kube-system", StringComparison.Ordinal) });

        Assert.Equal(HttpStatusCode.InternalServerError, (await _http.GetAsync("/api/v1/namespaces/default")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync("/api/v1/namespaces/default")).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("/api/v1/namespaces/default"));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/api/v1/namespaces/default")).StatusCode);
        using var impatient = _server.CreateHttpClient();
        impatient.Timeout = TimeSpan.FromMilliseconds(300);
        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync("/api/v1/namespaces/kube-system"));
    }

    [Fact]
    public async Task ProbabilisticFaultsRepeatWithTheSameSeed()
    {
        async Task<string> PatternAsync(int seed)
        {
            await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { RandomSeed = seed });
            server.Faults.Add(new FaultRule(FaultKind.ServiceUnavailable) { Probability = 0.5 });
            using var http = server.CreateHttpClient();
            var pattern = "";
            for (var i = 0; i < 24; i++)
            {
                pattern += (await http.GetAsync("/version")).IsSuccessStatusCode ? '.' : 'x';
            }
            return pattern;
        }

        var first = await PatternAsync(42);

        Assert.Equal(first, await PatternAsync(42));
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task LatencyDelaysEveryRequest()
    {
        _server.Faults.Latency = TimeSpan.FromMilliseconds(150);
        var clock = Stopwatch.StartNew();

        await _http.GetAsync("/version");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"took {clock.Elapsed}");
        _server.Faults.Reset();
    }

    [Fact]
    public async Task CountsRequestsByVerbAndResource()
    {
        _server.Apply(KubectlFidelityTests.Deployment("default", "nginx:1", "1"));
        using var client = ServerFixture.ClientFor(_server.KubeconfigPath);
        _server.Requests.Reset();

        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"a":"1"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        await client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        await client.CoreV1.ListNamespacedSecretAsync("default");

        Assert.Equal(1, _server.Requests.Count("PATCH", "deployments"));
        Assert.Equal(1, _server.Requests.Count("get", "deployments"));
        Assert.Equal(1, _server.Requests.Count("list", "secrets"));
        Assert.Equal(3, _server.Requests.Total);
        Assert.Contains(_server.Requests.Entries, r => r is { Method: "PATCH", Name: "web", Namespace: "default", StatusCode: 200, User: "admin" });
        _server.Requests.Reset();
        Assert.Equal(0, _server.Requests.Total);
    }

    [Fact]
    public async Task DropWatchCutsAWatchAfterItsEventsAndWatchGoneAnswersOne410ErrorEvent()
    {
        var from = await CreateSecretAsync("a");
        await CreateSecretAsync("b");
        await CreateSecretAsync("c");
        var dropped = _server.Faults.Add(new FaultRule(FaultKind.DropWatch) { Verb = "watch", Resource = "secrets", EventsBeforeDrop = 1, Times = 1 });
        var gone = _server.Faults.Add(new FaultRule(FaultKind.WatchGone) { Verb = "watch", Resource = "secrets", Times = 1 });
        var watch = $"{Secrets}?watch=true&resourceVersion={from}&timeoutSeconds=1";

        // Cut, not ended: c never comes. (The reset can overtake b on its way, so b may be lost too.)
        var delivered = new List<(string, string)>();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var cut = await _http.GetAsync(watch, HttpCompletionOption.ResponseHeadersRead);
            using var lines = new StreamReader(await cut.Content.ReadAsStreamAsync());
            while (await lines.ReadLineAsync() is { } line)
            {
                delivered.Add(Event(line));
            }
        });
        Assert.DoesNotContain(("ADDED", "c"), delivered);

        var expired = (await _http.GetStringAsync(watch)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = JsonNode.Parse(Assert.Single(expired))!;
        Assert.Equal(("ERROR", 410L, "Expired"), (error.Str("type"), error.Long("object", "code")!.Value, error.Str("object", "reason")));

        var whole = (await _http.GetStringAsync(watch)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { ("ADDED", "b"), ("ADDED", "c") }, whole.Select(Event));
        Assert.Equal((1, 1), (dropped.Fired, gone.Fired));

        static (string, string) Event(string? line) => JsonNode.Parse(line!) is { } e ? (e.Str("type") ?? "", e.Str("object", "metadata", "name") ?? "") : default;
    }

    private async Task<string> CreateSecretAsync(string name)
    {
        using var response = await _http.PostAsync(Secrets, new StringContent("""{"metadata":{"name":"NAME"}}""".Replace("NAME", name), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.Str("metadata", "resourceVersion")!;
    }

    [Fact]
    public async Task NoCredentialsIsUnauthorized()
    {
        using var anonymous = _server.CreateHttpClient(user: null);

        using var response = await anonymous.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            await response.Content.ReadAsStringAsync());
    }
}
