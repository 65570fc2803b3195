using DaprSecurity.Abstractions;
using k8s;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// One cluster: its client (with retries and TLS verification as the kubeconfig says) and helpers that turn
/// Kubernetes API failures into <see cref="DaprSecurityException"/>s naming the server and the cause.
/// </summary>
public sealed class ClusterConnection : IClusterConnection, IDisposable
{
    private static int s_lastId;

    internal ClusterConnection(string contextName, KubernetesClientConfiguration configuration, TimeProvider clock, string? unverifiedServerWarning = null)
    {
        JsonWarmUp.StartOnce();
        UnverifiedServerWarning = unverifiedServerWarning;
        Id = Interlocked.Increment(ref s_lastId);
        ContextName = contextName;
        Server = configuration.Host;
        DefaultNamespace = string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace;
        Client = new k8s.Kubernetes(configuration, new RetryHandler(clock));
    }

    /// <inheritdoc />
    public string ContextName { get; }

    /// <inheritdoc />
    public string Server { get; }

    /// <inheritdoc />
    public string DefaultNamespace { get; }

    /// <inheritdoc />
    public int Id { get; }

    /// <inheritdoc />
    public string? UnverifiedServerWarning { get; }

    /// <summary>The typed client. Call it through <see cref="CallAsync{T}"/> so failures read well.</summary>
    public IKubernetes Client { get; }

    /// <summary>True once the connector replaced this connection (its kubeconfig changed) or the module was removed.</summary>
    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        IsDisposed = true;
        Client.Dispose();
    }

    /// <summary>The engine's view of a connection handed back by a cmdlet.</summary>
    public static ClusterConnection From(IClusterConnection connection)
        => connection as ClusterConnection ?? throw new ArgumentException("The connection was not opened by the DaprSecurity engine.", nameof(connection));

    /// <summary>Runs one API call; failures become errors that name the server, the object and the cause.</summary>
    /// <param name="call">The request, given the client and the cancellation token.</param>
    /// <param name="target">What the call is about (for the error's target object and message), e.g. "secret prod/app-api-token".</param>
    /// <param name="cancellationToken">Cancels the request (Ctrl+C).</param>
    public async Task<T> CallAsync<T>(Func<IKubernetes, CancellationToken, Task<T>> call, string target, CancellationToken cancellationToken)
    {
        try
        {
            return await call(Client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeApiErrors.Translate(e, Server, target, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Like <see cref="CallAsync{T}"/>, but a 404 gives null instead of an error.</summary>
    public async Task<T?> GetOrNullAsync<T>(Func<IKubernetes, CancellationToken, Task<T>> call, string target, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await call(Client, cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (KubeApiErrors.Translate(e, Server, target, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }
}
