using System.Net;
using System.Security.Cryptography;
using System.Text;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DaprSecurity.KubeApiServer.Admin;

/// <summary>
/// The standalone server's control door, for tests that run it as a separate process (the Pester suite): plain HTTP on
/// <c>http://127.0.0.1:PORT</c>, every request authenticated with the admin user's bearer token. It sets latency and
/// fault rules, adds users with forbidden verbs, reads or resets the request counters, and applies, reads and deletes
/// objects (a test's own seed and its assertions on stored state); see the README for the routes.
/// </summary>
public sealed class AdminEndpoint : IAsyncDisposable
{
    private readonly WebApplication _host;

    private AdminEndpoint(WebApplication host) => _host = host;

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string Url { get; private set; } = "";

    public static async Task<AdminEndpoint> StartAsync(KubeApiServer server, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (!IsAdmin(context, server.AdminToken))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { error = "send the admin token: Authorization: Bearer <token of the admin kubeconfig>" });
                return;
            }
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or BadHttpRequestException or System.Text.Json.JsonException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new { error = e.Message });
            }
        });
        Map(app, server);
        await app.StartAsync();
        return new AdminEndpoint(app) { Url = app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) };
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
    }

    private static void Map(WebApplication app, KubeApiServer server)
    {
        app.MapGet("/requests", () => new RequestCounters(server.Requests.Total,
            server.Requests.Counters.Select(c => new RequestCounter(c.Verb, c.Resource, c.Count)).ToList()));
        app.MapGet("/requests/recent", () => server.Requests.Entries.Select(r =>
            new RecentRequest(r.Method, r.Verb, r.Resource, r.Namespace, r.Name, r.User, r.StatusCode)).ToList());
        app.MapDelete("/requests", () =>
        {
            server.Requests.Reset();
            return Results.NoContent();
        });
        app.MapPut("/latency", (LatencySettings latency) =>
        {
            server.Faults.Latency = TimeSpan.FromMilliseconds(latency.Ms);
            server.Faults.Jitter = TimeSpan.FromMilliseconds(latency.JitterMs);
            return Results.NoContent();
        });
        app.MapPost("/faults", (FaultSettings fault) =>
        {
            server.Faults.Add(new FaultRule(Enum.Parse<FaultKind>(fault.Kind, ignoreCase: true))
            {
                Verb = fault.Verb,
                Resource = fault.Resource,
                Namespace = fault.Namespace,
                Times = fault.Times,
                Probability = fault.Probability ?? 1.0,
                RetryAfter = TimeSpan.FromSeconds(fault.RetryAfterSeconds ?? 1),
            });
            return Results.NoContent();
        });
        app.MapDelete("/faults", () =>
        {
            server.Faults.Reset();
            return Results.NoContent();
        });
        app.MapPost("/users", (UserSettings user) =>
        {
            if (string.IsNullOrWhiteSpace(user.Name) || user.Name == KubeApiServer.AdminUser)
            {
                throw new ArgumentException("a user needs a name other than admin");
            }
            var token = user.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            server.AddUser(user.Name, token, (user.Forbidden ?? []).Select(Rule).ToArray());
            return new CreatedUser(user.Name, token, server.RenderKubeconfig(user.Name, user.DefaultNamespace ?? "default"));
        });
        app.MapPost("/manifests", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return new AppliedManifests(server.Apply(await reader.ReadToEndAsync()).Count);
        });
        app.MapGet("/object", (string? group, string version, string resource, string? @namespace, string name) =>
            server.Get(group ?? "", version, resource, @namespace, name) is { } stored ? Results.Json(stored) : Results.NotFound());
        app.MapDelete("/object", (string? group, string version, string resource, string? @namespace, string name) =>
            server.Delete(group ?? "", version, resource, @namespace, name) ? Results.NoContent() : Results.NotFound());
    }

    private static AccessRule Rule(ForbiddenSettings rule) => rule.ClusterWideOnly
        ? AccessRule.ForbidClusterWide(rule.Verbs, rule.Resources)
        : AccessRule.Forbid(rule.Verbs, rule.Resources, rule.Namespace);

    private static bool IsAdmin(HttpContext context, string adminToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(adminToken));
    }

    private sealed record RequestCounter(string Verb, string Resource, int Count);

    private sealed record RecentRequest(string Method, string Verb, string? Resource, string? Namespace, string? Name, string User, int StatusCode);

    private sealed record RequestCounters(int Total, IReadOnlyList<RequestCounter> Counts);

    private sealed record LatencySettings(int Ms, int JitterMs = 0);

    private sealed record FaultSettings(string Kind, string? Verb, string? Resource, string? Namespace, int? Times, double? Probability, int? RetryAfterSeconds);

    private sealed record ForbiddenSettings(string Verbs, string Resources, string? Namespace, bool ClusterWideOnly = false);

    private sealed record UserSettings(string Name, string? Token, IReadOnlyList<ForbiddenSettings>? Forbidden, string? DefaultNamespace);

    private sealed record CreatedUser(string Name, string Token, string Kubeconfig);

    private sealed record AppliedManifests(int Applied);
}
