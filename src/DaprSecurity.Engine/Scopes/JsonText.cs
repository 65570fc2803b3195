using System.Text.Json;
using System.Text.Json.Nodes;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Reads loosely typed JSON (from the API server or converted from YAML) as text.</summary>
internal static class JsonText
{
    /// <summary>A string as is, any other value as its JSON text, null for null or missing.</summary>
    public static string? Of(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

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
