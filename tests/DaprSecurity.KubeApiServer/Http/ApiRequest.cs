using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>
/// What a request is about, parsed from its method and path the way the apiserver's <c>RequestInfoFactory</c> does:
/// resource requests (<c>/api/v1/namespaces/ns/secrets/name</c>) get a Kubernetes verb, a resource type and names;
/// everything else (discovery, OpenAPI, <c>/version</c>) is a non-resource request with verb <c>get</c>.
/// </summary>
public sealed record ApiRequest(string Method, string Path, string Verb)
{
    /// <summary>The resource segment of the path, even when it names nothing this server serves.</summary>
    public string? Resource { get; init; }

    /// <summary>The served type, or null for non-resource requests and unknown resources.</summary>
    public ResourceType? Type { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    public bool IsResourceRequest => Resource is not null;

    public static ApiRequest Parse(string method, string path, bool watch, ResourceRegistry registry)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return new ApiRequest(method, path, method == "GET" ? "get" : method.ToLowerInvariant());
        }

        string? ns = null;
        var parts = segments[rest..];
        // "namespaces/{ns}/{resource}" is a namespaced prefix only if {resource} is a namespaced type of this group version;
        // "namespaces/{name}" (and "namespaces/{name}/status") is the Namespace object itself.
        if (parts.Length >= 3 && parts[0] == "namespaces" && registry.Find(group, version, parts[2]) is { Namespaced: true })
        {
            ns = parts[1];
            parts = parts[2..];
        }
        var resource = parts[0];
        var name = parts.Length > 1 ? parts[1] : null;
        var subresource = parts.Length > 2 ? string.Join('/', parts[2..]) : null;
        return new ApiRequest(method, path, VerbFor(method, name is not null, watch))
        {
            Resource = resource,
            Type = registry.Find(group, version, resource),
            Namespace = ns,
            Name = name,
            Subresource = subresource,
        };
    }

    private static string VerbFor(string method, bool hasName, bool watch) => method switch
    {
        "GET" or "HEAD" => hasName ? "get" : watch ? "watch" : "list",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => hasName ? "delete" : "deletecollection",
        _ => method.ToLowerInvariant(),
    };
}
