using System.Text.Json;
using System.Text.Json.Nodes;

namespace DaprSecurity.Engine.Text;

/// <summary>
/// Reads loosely typed JSON (from the API server or converted from YAML) without trusting its shape: a path through
/// something that is not an object, or a value of another type, reads as missing instead of throwing.
/// </summary>
internal static class JsonText
{
    /// <summary>The node at <paramref name="path"/> (object keys), or null when a step is missing or not an object.</summary>
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject obj ? obj[key] : null;
        }

        return node;
    }

    /// <summary>The text at <paramref name="path"/>: see <see cref="Of(JsonNode?)"/>.</summary>
    public static string? Of(JsonNode? node, params string[] path) => Of(At(node, path));

    /// <summary>A string as is, any other value as its JSON text, null for null or missing.</summary>
    public static string? Of(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    /// <summary>The string at <paramref name="path"/> (object keys) of parsed JSON; null when a step is missing or not an object, or the value is not a string.</summary>
    public static string? StringAt(JsonElement element, params string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    /// <summary>The items of a list of strings; null when <paramref name="node"/> is not such a list.</summary>
    public static IReadOnlyList<string>? Strings(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return null;
        }

        var items = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                return null;
            }

            items.Add(value.GetValue<string>());
        }

        return items;
    }
}
