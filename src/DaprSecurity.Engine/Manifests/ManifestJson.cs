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

    /// <summary>The document as JSON when it is a Kubernetes object (a mapping with kind and apiVersion), else null.</summary>
    public static JsonObject? KubernetesObject(ManifestDocument document, string path)
        => From(document.Root, path) is JsonObject json && json["kind"] is not null && json["apiVersion"] is not null ? json : null;

    /// <summary>
    /// The view a YAML object reader has (what <see cref="ManifestTypes"/> reads): merge keys (&lt;&lt;: *defaults)
    /// expanded, explicit keys winning over merged ones, and of a key written twice the last value.
    /// </summary>
    /// <param name="document">The document of <paramref name="node"/>.</param>
    /// <param name="view">What <see cref="From"/> made of <paramref name="node"/>: reused (not copied) when the two views
    /// cannot differ, in a document without merge keys and without keys written twice.</param>
    public static JsonNode? AsObjectReaderSees(ManifestDocument document, ManifestNode? node, JsonNode? view, string path)
    {
        if (!document.HasMergeKeys && document.Duplicates.Count == 0)
        {
            return view;
        }

        var budget = MaxNodes;
        return Convert(node, ref budget, path, asObject: true);
    }

    /// <summary>A plain &lt;&lt; key: a merge key to an object reader (a quoted one is an ordinary key).</summary>
    public static bool IsMergeKey(ManifestNode key) => key is { Kind: ManifestNodeKind.Scalar, Style: ScalarStyle.Plain, Value: "<<" };

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

                    if (asObject && IsMergeKey(key))
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
