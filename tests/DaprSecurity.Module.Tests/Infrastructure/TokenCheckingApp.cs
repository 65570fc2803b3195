using System.Net;
using System.Net.Sockets;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// A tiny HTTP app on 127.0.0.1 that answers every request with the status <c>policy</c> picks from the request's
/// dapr-api-token header (null when absent), the way an app that does (or does not) check its token would.
/// </summary>
public sealed class TokenCheckingApp : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string?, HttpStatusCode> _policy;
    private readonly Task _loop;

    public TokenCheckingApp(Func<string?, HttpStatusCode> policy)
    {
        _policy = policy;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/orders";

    /// <summary>An app that checks the header against <paramref name="expected"/> (401 without it, 403 when wrong).</summary>
    public static TokenCheckingApp Checking(string expected) => new(header => header switch
    {
        null => HttpStatusCode.Unauthorized,
        _ when header == expected => HttpStatusCode.OK,
        _ => HttpStatusCode.Forbidden,
    });

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            context.Response.StatusCode = (int)_policy(context.Request.Headers["dapr-api-token"]);
            context.Response.Close();
        }
    }
}
