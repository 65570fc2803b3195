using System.Text.Json;
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
    public const int MaxNodes = 1_000_000;

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

    private static JsonNode? Convert(ManifestNode? node, ref int budget, string path, bool asObject)
        => node is null ? null : Convert(node.Tree, node.Index, ref budget, path, asObject);

    // Walks the flat tree by index: a view object per node would be garbage made for every node of every file.
    private static JsonNode? Convert(ManifestTree tree, int index, ref int budget, string path, bool asObject)
    {
        ref readonly var node = ref tree[index];
        if (--budget < 0)
        {
            throw DaprErrors.ManifestInvalidYaml.Raise($"{path}:{node.Line}: aliases expand to more than {MaxNodes} nodes.", path);
        }

        switch (node.Kind)
        {
            case ManifestNodeKind.Alias:
                return Convert(tree, node.Target, ref budget, path, asObject);
            case ManifestNodeKind.Sequence:
                var array = new JsonArray();
                for (var i = 0; i < node.ChildCount; i++)
                {
                    array.Add(Convert(tree, tree.Child(index, i), ref budget, path, asObject));
                }

                return array;
            case ManifestNodeKind.Mapping:
                var obj = new JsonObject();
                List<int>? merged = null;
                for (var i = 0; i < node.ChildCount; i += 2)
                {
                    var (key, value) = (tree.Child(index, i), tree.Child(index, i + 1));
                    if (tree.Value(key) is not { } name)
                    {
                        continue;
                    }

                    if (asObject && tree.IsMergeKey(key))
                    {
                        var source = Resolve(tree, value);
                        merged ??= new();
                        merged.AddRange(tree[source].Kind == ManifestNodeKind.Sequence ? Enumerable.Range(0, tree[source].ChildCount).Select(j => tree.Child(source, j)) : new[] { value });
                    }
                    else if (asObject || !obj.ContainsKey(name))
                    {
                        obj[name] = Convert(tree, value, ref budget, path, asObject);
                    }
                }

                foreach (var source in merged ?? Enumerable.Empty<int>())
                {
                    if (Convert(tree, source, ref budget, path, asObject) is JsonObject defaults)
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
                return tree.IsNull(index) ? null : JsonValue.Create(tree.Value(index));
        }
    }

    /// <summary>
    /// Writes what <see cref="From"/> makes of <paramref name="node"/> as JSON text, for a reader that wants the
    /// text (a model type's deserializer) rather than a JSON tree made only to be written out again. Only for a
    /// document that reads as its JSON view (<see cref="ManifestDocument.ReadsAsJson"/>): no alias to follow, no key
    /// to drop, fewer nodes than the view's budget.
    /// </summary>
    public static void Write(ManifestNode node, Utf8JsonWriter writer) => Write(node.Tree, node.Index, writer);

    private static void Write(ManifestTree tree, int index, Utf8JsonWriter writer)
    {
        ref readonly var node = ref tree[index];
        switch (node.Kind)
        {
            case ManifestNodeKind.Sequence:
                writer.WriteStartArray();
                for (var i = 0; i < node.ChildCount; i++)
                {
                    Write(tree, tree.Child(index, i), writer);
                }

                writer.WriteEndArray();
                break;
            case ManifestNodeKind.Mapping:
                // As in From: keys that are not scalars are left out.
                writer.WriteStartObject();
                for (var i = 0; i < node.ChildCount; i += 2)
                {
                    var key = tree.Child(index, i);
                    if (tree[key].Kind == ManifestNodeKind.Scalar)
                    {
                        writer.WritePropertyName(tree.ValueSpan(key));
                        Write(tree, tree.Child(index, i + 1), writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case ManifestNodeKind.Scalar when tree.IsNull(index):
                writer.WriteNullValue();
                break;
            case ManifestNodeKind.Scalar:
                writer.WriteStringValue(tree.ValueSpan(index));
                break;
            default:
                throw new InvalidOperationException("An alias has no JSON text of its own; this document does not read as its JSON view.");
        }
    }

    private static int Resolve(ManifestTree tree, int index) => tree[index].Kind == ManifestNodeKind.Alias ? Resolve(tree, tree[index].Target) : index;
}
