using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// The JSON view of a YAML node, so that manifests and objects read from the API server are interpreted by the same
/// code. Scalars become strings (or null); the readers only need names and text.
/// </summary>
internal static class ManifestJson
{
    /// <summary>Alias expansion budget: keeps a "billion laughs" document from exhausting memory.</summary>
    private const int MaxNodes = 1_000_000;

    public static JsonNode? From(ManifestNode? node, string path)
    {
        var budget = MaxNodes;
        return Convert(node, ref budget, path);
    }

    private static JsonNode? Convert(ManifestNode? node, ref int budget, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (--budget < 0)
        {
            throw DaprErrors.ManifestInvalidYaml.Raise($"{path}:{node.Line}: aliases expand to more than {MaxNodes} nodes.", path);
        }

        switch (node.Kind)
        {
            case ManifestNodeKind.Alias:
                return Convert(node.Target, ref budget, path);
            case ManifestNodeKind.Sequence:
                var array = new JsonArray();
                foreach (var item in node.Items)
                {
                    array.Add(Convert(item, ref budget, path));
                }

                return array;
            case ManifestNodeKind.Mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in node.Entries)
                {
                    if (key.Kind == ManifestNodeKind.Scalar && key.Value is { } name && !obj.ContainsKey(name))
                    {
                        obj[name] = Convert(value, ref budget, path);
                    }
                }

                return obj;
            default:
                return node.IsNull ? null : JsonValue.Create(node.Value);
        }
    }
}
