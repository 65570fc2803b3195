using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer;

/// <summary>Small helpers for reading and building Kubernetes objects held as <c>System.Text.Json.Nodes</c> trees.</summary>
internal static class JsonExtensions
{
    /// <summary>Go's encoder escapes only what JSON requires; so do we, so that quotes in messages stay readable.</summary>
    private static readonly JsonSerializerOptions WireOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>UTF-8 JSON as the apiserver writes it.</summary>
    public static byte[] ToUtf8Json(this JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WireOptions);

    /// <summary>The child object <paramref name="name"/>, created when absent (or not an object).</summary>
    public static JsonObject Child(this JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = [];
            parent[name] = child;
        }
        return child;
    }

    public static JsonArray ChildArray(this JsonObject parent, string name)
    {
        if (parent[name] is not JsonArray child)
        {
            child = [];
            parent[name] = child;
        }
        return child;
    }

    public static JsonObject Metadata(this JsonObject obj) => obj.Child("metadata");

    /// <summary>The string at a dotted path of property names, or null when any step is missing or not a string.</summary>
    public static string? Text(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }

    /// <summary>The integer at a dotted path, or null.</summary>
    public static long? Number(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }
        // Values built in code keep their CLR type (int, long, double); parsed ones convert to anything.
        return node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number ? null
            : value.TryGetValue<long>(out var whole) ? whole
            : value.TryGetValue<int>(out var small) ? small
            : (long)value.GetValue<double>();
    }

    public static bool Flag(this JsonNode? node, params string[] path)
    {
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.True;
    }

    public static string Name(this JsonObject obj) => obj.Text("metadata", "name") ?? "";

    public static string Namespace(this JsonObject obj) => obj.Text("metadata", "namespace") ?? "";

    /// <summary>RFC 3339 in UTC to the second, the apiserver's timestamp format.</summary>
    public static string ToKubernetesTime(this DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
