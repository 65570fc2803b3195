using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Tests.Infrastructure;

/// <summary>Terse reads of stored objects in assertions.</summary>
public static class Json
{
    public static string? Str(this JsonNode? node, params object[] path) => Walk(node, path)?.GetValue<string>();

    public static long? Long(this JsonNode? node, params object[] path) => Walk(node, path) switch
    {
        JsonValue value when value.TryGetValue<long>(out var whole) => whole,
        JsonValue value when value.TryGetValue<int>(out var small) => small,
        _ => null,
    };

    public static JsonNode? Walk(JsonNode? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                int index => (node as JsonArray)?.ElementAtOrDefault(index),
                string name => (node as JsonObject)?[name],
                _ => throw new ArgumentException("path steps are property names or indexes"),
            };
        }
        return node;
    }

    public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}
