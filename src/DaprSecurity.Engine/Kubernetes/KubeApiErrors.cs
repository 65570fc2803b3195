using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using DaprSecurity.Abstractions;
using k8s.Autorest;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Turns what KubernetesClient throws into one clear error: the API's own Status message for HTTP errors,
/// and the server plus the root cause for TLS and connection failures. An HTTP error carries the status code, the
/// Kubernetes reason and the resource as <see cref="DaprSecurityException.ApiFailure"/>, for callers to match on.
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
                return DaprErrors.ClusterTimeout.Raise($"The API server {server} did not answer in time ({target}).", target, error);
        }

        var root = RootCause(error);
        return root switch
        {
            AuthenticationException => DaprErrors.ClusterTlsFailure.Raise($"The TLS connection to {server} failed: {root.Message}",
                server,
                error,
                "Check that the kubeconfig's certificate-authority(-data) matches the server certificate, and that the server name is in its SANs."),
            SocketException or HttpRequestException or IOException => DaprErrors.ClusterUnreachable.Raise($"Cannot reach the API server {server}: {root.Message}",
                server,
                error,
                "Check the server address and your network, or choose another context with -Context."),
            _ => null,
        };
    }

    private static DaprSecurityException FromStatus(HttpOperationException error, string server, string target)
    {
        var code = error.Response?.StatusCode ?? 0;
        var status = ReadStatus(error.Response?.Content);
        var failure = new KubeApiFailure((int)code, status?.Reason, status?.Resource, status?.Name);
        var kind = (code, failure.Reason) switch
        {
            (HttpStatusCode.NotFound, _) => DaprErrors.KubeApiNotFound,
            (HttpStatusCode.Conflict, "AlreadyExists") => DaprErrors.KubeApiAlreadyExists,
            (HttpStatusCode.Conflict, _) => DaprErrors.KubeApiConflict,
            (HttpStatusCode.Forbidden, _) => DaprErrors.KubeApiForbidden,
            (HttpStatusCode.Unauthorized, _) => DaprErrors.KubeApiUnauthorized,
            (HttpStatusCode.UnprocessableEntity, _) or (HttpStatusCode.BadRequest, _) => DaprErrors.KubeApiInvalid,
            (HttpStatusCode.TooManyRequests, _) or (>= HttpStatusCode.InternalServerError, _) => DaprErrors.KubeApiUnavailable,
            _ => DaprErrors.KubeApiError,
        };
        var message = status?.Message ?? $"{(int)code} {code}";
        return kind.Raise(failure, $"{target}: {message} (server {server})", target, innerException: null); // no inner exception: see the class remarks
    }

    /// <summary>Reads a Kubernetes Status body; other bodies are not echoed (they may be anything).</summary>
    private static StatusBody? ReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.GetString() != "Status")
            {
                return null;
            }

            var details = root.TryGetProperty("details", out var d) ? d : default;
            return new StatusBody(Text(root, "reason"), Text(root, "message"), Text(details, "kind"), Text(details, "name"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record StatusBody(string? Reason, string? Message, string? Resource, string? Name);

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
