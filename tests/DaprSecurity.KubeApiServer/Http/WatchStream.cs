using System.Text;
using DaprSecurity.KubeApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>
/// A <c>?watch=true</c> answer: chunked newline-delimited <c>{"type":…,"object":…}</c> events, flushed one by one (both kubectl
/// and KubernetesClient read line by line). Ends at <c>timeoutSeconds</c>, when the client goes, or when the server stops.
/// A resourceVersion older than the event log gets a single ERROR event carrying a 410 Expired Status, like the apiserver.
/// </summary>
internal static class WatchStream
{
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
            await WriteEventAsync(context, "ERROR", expired.ToStatus().ToUtf8Json(), context.RequestAborted);
            return;
        }

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
                await foreach (var change in subscription.Events.ReadAllAsync(end.Token))
                {
                    await WriteEventAsync(context, change.Type, change.Object.Json, end.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Timeout, client gone or server stopping: all end the stream normally.
            }
        }
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
