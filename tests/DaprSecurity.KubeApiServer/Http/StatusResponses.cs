using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>One field problem inside an Invalid (422) Status, e.g. reason <c>FieldValueForbidden</c> on field <c>data</c>.</summary>
public sealed record FieldError(string Reason, string Field, string Message)
{
    public static FieldError Required(string field, string detail) => new("FieldValueRequired", field, $"Required value: {detail}");

    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: \"{value}\": {detail}");

    public static FieldError Forbidden(string field, string detail) => new("FieldValueForbidden", field, $"Forbidden: {detail}");
}

/// <summary>
/// The error Status objects of kube-apiserver with their exact messages (apimachinery <c>pkg/api/errors</c>),
/// so that kubectl prints what it prints against a real cluster.
/// </summary>
public static class StatusResponses
{
    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", Details(type, name));

    public static ApiException NamespaceNotFound(string name) => NotFound(ResourceRegistry.Namespaces, name);

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", Details(type, name));

    /// <summary>The optimistic-lock failure (apiserver <c>OptimisticLockErrorMsg</c>).</summary>
    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(type, name));

    public static ApiException Invalid(ResourceType type, string name, params FieldError[] errors) =>
        Invalid(type.QualifiedKind, name, errors, type.Group);

    public static ApiException Invalid(string qualifiedKind, string name, IReadOnlyList<FieldError> errors, string group = "")
    {
        var text = errors.Count == 1
            ? $"{errors[0].Field}: {errors[0].Message}"
            : "[" + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Message}")) + "]";
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }
        details["kind"] = qualifiedKind.Split('.')[0];
        details["causes"] = new JsonArray(errors
            .Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field })
            .ToArray());
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {text}", details);
    }

    /// <summary>403 in the apiserver's words (<c>responsewriters.forbiddenMessage</c>); the name appears only when the URL has one.</summary>
    public static ApiException Forbidden(string user, string verb, ResourceType type, string? subresource, string? ns, string? name)
    {
        var resource = subresource is null ? type.Plural : $"{type.Plural}/{subresource}";
        var scope = string.IsNullOrEmpty(ns) ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var reason = $"User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{type.Group}\" {scope}";
        var subject = string.IsNullOrEmpty(name) ? type.QualifiedResource : $"{type.QualifiedResource} \"{name}\"";
        return new ApiException(403, "Forbidden", $"{subject} is forbidden: {reason}", Details(type, name ?? ""));
    }

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>A patch that parsed but cannot be applied (a failed JSON-patch <c>test</c>, a missing path).</summary>
    public static ApiException UnprocessablePatch(string message) => new(422, "Invalid", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    /// <summary>The generic 404 for paths that name no resource at all.</summary>
    public static ApiException PathNotFound() => new(404, "NotFound", "the server could not find the requested resource");

    /// <summary>429 as API Priority and Fairness sends it; the caller also sets the <c>Retry-After</c> header.</summary>
    public static ApiException TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds });

    public static ApiException ServiceUnavailable() =>
        new(503, "ServiceUnavailable", "the server is currently unable to handle the request");

    public static ApiException InternalError(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}");

    private static JsonObject Details(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Plural;
        return details;
    }
}
