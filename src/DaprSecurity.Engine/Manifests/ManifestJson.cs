using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using YamlDotNet.Core;

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
        return Convert(node, ref budget, path, asObject: false);
    }

    /// <summary>
    /// The view a YAML object reader has (what <see cref="ManifestTypes"/> reads): merge keys (&lt;&lt;: *defaults)
    /// expanded, explicit keys winning over merged ones, and of a key written twice the last value.
    /// </summary>
    public static JsonNode? AsObjectReaderSees(ManifestNode? node, string path)
    {
        var budget = MaxNodes;
        return Convert(node, ref budget, path, asObject: true);
    }

    private static JsonNode? Convert(ManifestNode? node, ref int budget, string path, bool asObject)
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
                return Convert(node.Target, ref budget, path, asObject);
            case ManifestNodeKind.Sequence:
                var array = new JsonArray();
                foreach (var item in node.Items)
                {
                    array.Add(Convert(item, ref budget, path, asObject));
                }

                return array;
            case ManifestNodeKind.Mapping:
                var obj = new JsonObject();
                var merged = new List<ManifestNode>();
                foreach (var (key, value) in node.Entries)
                {
                    if (key.Kind != ManifestNodeKind.Scalar || key.Value is not { } name)
                    {
                        continue;
                    }

                    if (asObject && name == "<<" && key.Style == ScalarStyle.Plain)
                    {
                        merged.AddRange(Resolve(value) is { Kind: ManifestNodeKind.Sequence } list ? list.Items : new List<ManifestNode> { value });
                    }
                    else if (asObject || !obj.ContainsKey(name))
                    {
                        obj[name] = Convert(value, ref budget, path, asObject);
                    }
                }

                foreach (var source in merged)
                {
                    if (Convert(source, ref budget, path, asObject) is JsonObject defaults)
                    {
                        var entries = defaults.ToList();
                        defaults.Clear();
                        foreach (var (name, value) in entries.Where(e => !obj.ContainsKey(e.Key)))
                        {
                            obj[name] = value;
                        }
                    }
                }

                return obj;
            default:
                return node.IsNull ? null : JsonValue.Create(node.Value);
        }
    }

    private static ManifestNode? Resolve(ManifestNode? node) => node?.Kind == ManifestNodeKind.Alias ? Resolve(node.Target) : node;
}
