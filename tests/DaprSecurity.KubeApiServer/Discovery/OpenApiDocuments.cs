using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Discovery;

/// <summary>
/// A minimal <c>/openapi/v3</c>: the index lists every served group version, and each group-version document has one PATCH
/// operation per kind, tagged with <c>x-kubernetes-group-version-kind</c> and a <c>fieldValidation</c> parameter. That is what
/// cli-runtime's <c>query_param_verifier_v3</c> looks for before letting <c>kubectl apply</c> validate on the server.
/// Schemas are empty, so <c>kubectl explain</c> is not supported.
/// </summary>
internal sealed class OpenApiDocuments(ResourceRegistry registry)
{
    // The registry never changes while the server runs, so one constant hash is an honest cache key.
    private const string Hash = "kube-api-server-1";

    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (group, version) in registry.GroupVersions)
        {
            var path = PathOf(group, version);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for <c>api/v1</c> or <c>apis/{group}/{version}</c>, or null if that is not served.</summary>
    public JsonObject? GroupVersion(string path)
    {
        var types = registry.All.Where(t => PathOf(t.Group, t.Version) == path).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var itemPath = type.Namespaced
                ? $"{type.GroupVersionPath}/namespaces/{{namespace}}/{type.Plural}/{{name}}"
                : $"{type.GroupVersionPath}/{type.Plural}/{{name}}";
            paths[itemPath] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.KubernetesVersion },
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
            ["paths"] = paths,
        };
    }

    private static string PathOf(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
}
