using System.Diagnostics;
using System.Globalization;
using System.Text;
using DaprSecurity.KubeApiServer.Diagnostics;
using DaprSecurity.KubeApiServer.Discovery;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Security;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>
/// The one request handler: injected latency and faults, authentication, authorization, then discovery, OpenAPI or the
/// resource endpoint. Every request ends up in the <see cref="RequestLog"/>; every failure is a Kubernetes Status.
/// </summary>
internal sealed class ApiEndpoint(
    ResourceRegistry registry,
    DiscoveryDocuments discovery,
    OpenApiDocuments openApi,
    ResourceEndpoint resources,
    Authenticator authenticator,
    FaultInjector faults,
    RequestLog log,
    CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var path = context.Request.Path.Value ?? "/";
        var watch = context.Request.Query["watch"].ToString() is "true" or "1";
        var request = ApiRequest.Parse(context.Request.Method, path, watch, registry);
        var user = "";
        log.Begin();
        try
        {
            if (!await InjectFaultAsync(context, request))
            {
                var identity = authenticator.Authenticate(context);
                user = identity.Name;
                Authenticator.Authorize(identity, request);
                await RouteAsync(context, request);
            }
        }
        catch (ApiException error) when (!context.Response.HasStarted)
        {
            await ResponseWriter.WriteStatusAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping; there is nobody to answer.
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            await ResponseWriter.WriteStatusAsync(context, StatusResponses.InternalError(error.Message));
        }
        finally
        {
            log.Record(new RecordedRequest(DateTimeOffset.UtcNow, request.Method, path, context.Request.QueryString.Value ?? "",
                request.Verb, request.Resource, request.Namespace, request.Name, user, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started)));
        }
    }

    /// <summary>Applies latency, then the first matching fault rule; true when the fault has answered the request.</summary>
    private async Task<bool> InjectFaultAsync(HttpContext context, ApiRequest request)
    {
        if (faults.NextDelay() is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        if (faults.Pick(request) is not { } rule)
        {
            return false;
        }
        switch (rule.Kind)
        {
            case FaultKind.TooManyRequests:
                var seconds = (int)Math.Ceiling(rule.RetryAfter.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ResponseWriter.WriteStatusAsync(context, StatusResponses.TooManyRequests(seconds));
                break;
            case FaultKind.InternalError:
                await ResponseWriter.WriteStatusAsync(context, StatusResponses.InternalError("injected fault"));
                break;
            case FaultKind.ServiceUnavailable:
                await ResponseWriter.WriteStatusAsync(context, StatusResponses.ServiceUnavailable());
                break;
            case FaultKind.ConnectionReset:
                context.Abort();
                break;
            case FaultKind.IgnoreWrite:
                await resources.HandleAsync(context, request with { Verb = "get" });
                break;
            case FaultKind.WatchGone:
                await WatchStream.WriteExpiredAsync(context, StatusResponses.Expired("too old resource version (injected fault)"));
                break;
            case FaultKind.DropWatch:
                context.Items[WatchStream.DropAfterEventsKey] = rule.EventsBeforeDrop;
                return false;
            case FaultKind.Hold:
                using (var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    await rule.Released.WaitAsync(end.Token);
                }
                return false;
            case FaultKind.Hang:
                using (var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    await Task.Delay(Timeout.Infinite, end.Token);
                }
                break;
        }
        return true;
    }

    private Task RouteAsync(HttpContext context, ApiRequest request)
    {
        if (request.IsResourceRequest)
        {
            return resources.HandleAsync(context, request);
        }
        if (request.Method != "GET")
        {
            throw StatusResponses.MethodNotAllowed(request.Method);
        }
        var accept = context.Request.Headers.Accept.ToString();
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["version"] => ResponseWriter.WriteAsync(context, 200, DiscoveryDocuments.Version()),
            ["healthz" or "livez" or "readyz"] => ResponseWriter.WriteAsync(context, 200, Encoding.UTF8.GetBytes("ok"), "text/plain"),
            ["api"] when MediaTypes.WantsAggregatedDiscovery(accept) =>
                ResponseWriter.WriteAsync(context, 200, discovery.Aggregated(core: true), MediaTypes.AggregatedDiscovery),
            ["apis"] when MediaTypes.WantsAggregatedDiscovery(accept) =>
                ResponseWriter.WriteAsync(context, 200, discovery.Aggregated(core: false), MediaTypes.AggregatedDiscovery),
            ["api"] => ResponseWriter.WriteAsync(context, 200,
                DiscoveryDocuments.CoreVersions($"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}")),
            ["apis"] => ResponseWriter.WriteAsync(context, 200, discovery.GroupList()),
            ["api", var version] => Found(context, discovery.ResourceList("", version)),
            ["apis", var group] => Found(context, discovery.GroupDocument(group)),
            ["apis", var group, var version] => Found(context, discovery.ResourceList(group, version)),
            ["openapi", "v3"] => ResponseWriter.WriteAsync(context, 200, openApi.Index()),
            ["openapi", "v3", .. var rest] => Found(context, openApi.GroupVersion(string.Join('/', rest))),
            _ => throw StatusResponses.PathNotFound(),
        };
    }

    private static Task Found(HttpContext context, System.Text.Json.Nodes.JsonObject? document) =>
        ResponseWriter.WriteAsync(context, 200, document ?? throw StatusResponses.PathNotFound());
}
