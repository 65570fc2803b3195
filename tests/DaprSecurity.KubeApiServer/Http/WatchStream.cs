using System.Text;
using DaprSecurity.KubeApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>
/// A <c>?watch=true</c> answer: chunked newline-delimited <c>{"type":…,"object":…}</c> events, flushed one by one (both kubectl
/// and KubernetesClient read line by line). Ends at <c>timeoutSeconds</c>, when the client goes, or when the server stops.
/// A resourceVersion older than the event log gets a single ERROR event carrying a 410 Expired Status, like the apiserver.
/// A <see cref="Faults.FaultKind.DropWatch"/> fault cuts the connection after a number of events.
/// </summary>
internal static class WatchStream
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which a DropWatch fault leaves the number of events to deliver.</summary>
    public const string DropAfterEventsKey = "DaprSecurity.DropWatchAfterEvents";

    private static readonly byte[] TypePrefix = "{\"type\":\""u8.ToArray();
    private static readonly byte[] ObjectPrefix = "\",\"object\":"u8.ToArray();
    private static readonly byte[] LineEnd = "}\n"u8.ToArray();

    public static async Task StreamAsync(HttpContext context, Func<WatchSubscription> subscribe, TimeSpan? timeout, CancellationToken stopping)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MediaTypes.Json;
        WatchSubscription subscription;
        try
        {
            subscription = subscribe();
        }
        catch (ApiException expired) when (expired.Code == StatusCodes.Status410Gone)
        {
            await WriteExpiredAsync(context, expired);
            return;
        }

        var dropAfter = context.Items.TryGetValue(DropAfterEventsKey, out var count) ? (int?)count : null;

        using (subscription)
        using (var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
        {
            if (timeout is { } limit)
            {
                end.CancelAfter(limit);
            }
            try
            {
                await context.Response.StartAsync(end.Token);
                await context.Response.Body.FlushAsync(end.Token);
                if (dropAfter == 0)
                {
                    context.Abort();
                    return;
                }

                await foreach (var change in subscription.Events.ReadAllAsync(end.Token))
                {
                    await WriteEventAsync(context, change.Type, change.Object.Json, end.Token);
                    if (--dropAfter == 0)
                    {
                        context.Abort();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Timeout, client gone or server stopping: all end the stream normally.
            }
        }
    }

    /// <summary>The apiserver's answer to a watch from a compacted resourceVersion: 200 with one ERROR event holding the 410 Status.</summary>
    public static Task WriteExpiredAsync(HttpContext context, ApiException expired)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MediaTypes.Json;
        return WriteEventAsync(context, "ERROR", expired.ToStatus().ToUtf8Json(), context.RequestAborted);
    }

    private static async Task WriteEventAsync(HttpContext context, string type, ReadOnlyMemory<byte> obj, CancellationToken cancel)
    {
        var body = context.Response.Body;
        await body.WriteAsync(TypePrefix, cancel);
        await body.WriteAsync(Encoding.UTF8.GetBytes(type), cancel);
        await body.WriteAsync(ObjectPrefix, cancel);
        await body.WriteAsync(obj, cancel);
        await body.WriteAsync(LineEnd, cancel);
        await body.FlushAsync(cancel);
    }
}
