using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using DaprSecurity.Abstractions;
using k8s.Autorest;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Turns what KubernetesClient throws into one clear error: the API's own Status message for HTTP errors,
/// and the server plus the root cause for TLS and connection failures. Stable error ids:
/// KubeApiNotFound, KubeApiAlreadyExists, KubeApiConflict, KubeApiForbidden, KubeApiUnauthorized, KubeApiInvalid,
/// KubeApiUnavailable, KubeApiError, ClusterTlsFailure, ClusterUnreachable, ClusterTimeout.
/// This is the one place where API errors lose the client's exception: its Request and Response objects carry the
/// bodies (a Secret's token, a trust bundle's private keys), which anyone could read back from $Error.
/// </summary>
public static class KubeApiErrors
{
    /// <summary>The translated error, or null when <paramref name="error"/> is the user's own cancellation.</summary>
    public static DaprSecurityException? Translate(Exception error, string server, string target, CancellationToken cancellationToken)
    {
        switch (error)
        {
            case DaprSecurityException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case HttpOperationException http:
                return FromStatus(http, server, target);
            case OperationCanceledException:
                return new DaprSecurityException("ClusterTimeout", DaprErrorCategory.OperationTimeout, $"The API server {server} did not answer in time ({target}).", target, error);
        }

        var root = RootCause(error);
        return root switch
        {
            AuthenticationException => new DaprSecurityException(
                "ClusterTlsFailure",
                DaprErrorCategory.SecurityError,
                $"The TLS connection to {server} failed: {root.Message}",
                server,
                error,
                "Check that the kubeconfig's certificate-authority(-data) matches the server certificate, and that the server name is in its SANs."),
            SocketException or HttpRequestException or IOException => new DaprSecurityException(
                "ClusterUnreachable",
                DaprErrorCategory.ConnectionError,
                $"Cannot reach the API server {server}: {root.Message}",
                server,
                error,
                "Check the server address and your network, or choose another context with -Context."),
            _ => null,
        };
    }

    private static DaprSecurityException FromStatus(HttpOperationException error, string server, string target)
    {
        var code = error.Response?.StatusCode ?? 0;
        var (reason, message) = ReadStatus(error.Response?.Content);
        message ??= $"{(int)code} {code}";
        var (id, category) = (code, reason) switch
        {
            (HttpStatusCode.NotFound, _) => ("KubeApiNotFound", DaprErrorCategory.ObjectNotFound),
            (HttpStatusCode.Conflict, "AlreadyExists") => ("KubeApiAlreadyExists", DaprErrorCategory.ResourceExists),
            (HttpStatusCode.Conflict, _) => ("KubeApiConflict", DaprErrorCategory.InvalidOperation),
            (HttpStatusCode.Forbidden, _) => ("KubeApiForbidden", DaprErrorCategory.PermissionDenied),
            (HttpStatusCode.Unauthorized, _) => ("KubeApiUnauthorized", DaprErrorCategory.AuthenticationError),
            (HttpStatusCode.UnprocessableEntity, _) or (HttpStatusCode.BadRequest, _) => ("KubeApiInvalid", DaprErrorCategory.InvalidData),
            (HttpStatusCode.TooManyRequests, _) or (>= HttpStatusCode.InternalServerError, _) => ("KubeApiUnavailable", DaprErrorCategory.ResourceUnavailable),
            _ => ("KubeApiError", DaprErrorCategory.NotSpecified),
        };
        // No inner exception: see the class remarks.
        return new DaprSecurityException(id, category, $"{target}: {message} (server {server})", target);
    }

    /// <summary>Reads reason and message from a Kubernetes Status body; other bodies are not echoed (they may be anything).</summary>
    private static (string? Reason, string? Message) ReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.GetString() != "Status")
            {
                return (null, null);
            }

            return (
                root.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
                root.TryGetProperty("message", out var message) ? message.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static Exception RootCause(Exception error)
    {
        var current = error;
        while (current.InnerException is not null && current is not AuthenticationException && current is not SocketException)
        {
            current = current.InnerException;
        }

        return current;
    }
}
