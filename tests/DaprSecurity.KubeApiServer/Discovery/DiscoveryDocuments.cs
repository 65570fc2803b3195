using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Discovery;

/// <summary>
/// The discovery endpoints, all generated from the <see cref="ResourceRegistry"/>: <c>/version</c>, legacy
/// <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c>, per-group-version resource lists, and aggregated discovery v2 for
/// <c>/api</c> and <c>/apis</c> (kubectl asks for it; it saves one request per group version).
/// </summary>
internal sealed class DiscoveryDocuments(ResourceRegistry registry)
{
    /// <summary>Minor 32 makes the kubectl dispatcher run its built-in 1.32 client (which sends protobuf on typed creates).</summary>
    public const string KubernetesVersion = "v1.32.4";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = KubernetesVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-22T00:00:00Z",
        ["goVersion"] = "go1.23.8",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(Groups().Select(g => (JsonNode)Group(g.Key, g.Select(t => t.Version).Distinct())).ToArray()),
    };

    /// <summary><c>/apis/{group}</c>, or null when the group is not served.</summary>
    public JsonObject? GroupDocument(string group)
    {
        var versions = registry.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        var document = Group(group, versions);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    /// <summary><c>/api/v1</c> or <c>/apis/{group}/{version}</c>, or null when the group version is not served.</summary>
    public JsonObject? ResourceList(string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(ResourceType.Verbs),
                ["shortNames"] = Strings(type.ShortNames),
                ["categories"] = Strings(type.Categories),
            });
            if (type.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{type.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>Aggregated discovery: <c>/api</c> holds only the core group, <c>/apis</c> all the named groups.</summary>
    public JsonObject Aggregated(bool core) => new()
    {
        ["kind"] = "APIGroupDiscoveryList",
        ["apiVersion"] = "apidiscovery.k8s.io/v2",
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray(Groups()
            .Where(g => (g.Key.Length == 0) == core)
            .Select(g => (JsonNode)new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = g.Key },
                ["versions"] = new JsonArray(g.GroupBy(t => t.Version).Select(v => (JsonNode)new JsonObject
                {
                    ["version"] = v.Key,
                    ["freshness"] = "Current",
                    ["resources"] = new JsonArray(v.Select(t => (JsonNode)AggregatedResource(t)).ToArray()),
                }).ToArray()),
            }).ToArray()),
    };

    private static JsonObject AggregatedResource(ResourceType type) => new()
    {
        ["resource"] = type.Plural,
        ["responseKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
        ["singularResource"] = type.Singular,
        ["verbs"] = Strings(ResourceType.Verbs),
        ["shortNames"] = Strings(type.ShortNames),
        ["categories"] = Strings(type.Categories),
        ["subresources"] = type.HasStatusSubresource
            ? new JsonArray(new JsonObject
            {
                ["subresource"] = "status",
                ["responseKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                ["verbs"] = new JsonArray("get", "patch", "update"),
            })
            : new JsonArray(),
    };

    private IEnumerable<IGrouping<string, ResourceType>> Groups() => registry.All.GroupBy(t => t.Group);

    private static JsonObject Group(string group, IEnumerable<string> versions)
    {
        var list = versions.Select(v => new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v }).ToList();
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(list.Select(v => (JsonNode)v).ToArray()),
            ["preferredVersion"] = list[0].DeepClone(),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
