using System.Text.Json;
using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Manifests;

/// <summary>Reads Kubernetes manifests: JSON or multi-document YAML, with <c>kind: List</c> (and <c>*List</c>) expanded.</summary>
public static class ManifestLoader
{
    /// <exception cref="FormatException">The text is neither valid JSON nor valid YAML, or a document is not an object.</exception>
    public static IReadOnlyList<JsonObject> Parse(string text)
    {
        var trimmed = text.TrimStart();
        IReadOnlyList<JsonNode> documents;
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                documents = JsonNode.Parse(trimmed) is { } node ? [node] : [];
            }
            catch (JsonException e)
            {
                throw new FormatException($"invalid JSON: {e.Message}", e);
            }
        }
        else
        {
            documents = YamlConverter.ParseDocuments(text);
        }
        return documents.SelectMany(Expand).ToList();
    }

    private static IEnumerable<JsonObject> Expand(JsonNode document) => document switch
    {
        JsonArray array => array.OfType<JsonNode>().SelectMany(Expand),
        JsonObject list when list["items"] is JsonArray items && (list.Text("kind")?.EndsWith("List", StringComparison.Ordinal) ?? false) =>
            items.OfType<JsonNode>().SelectMany(Expand),
        JsonObject obj => [obj],
        _ => throw new FormatException("a manifest document must be an object"),
    };
}
