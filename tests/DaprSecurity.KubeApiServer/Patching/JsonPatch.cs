using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;

namespace DaprSecurity.KubeApiServer.Patching;

/// <summary>RFC 6902 JSON Patch (<c>application/json-patch+json</c>): add, remove, replace, move, copy, test.</summary>
public static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to <paramref name="document"/> and returns the patched document.</summary>
    /// <exception cref="ApiException">400 for a malformed patch, 422 when an operation cannot be applied.</exception>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || op["op"]?.GetValue<string>() is not { } name || op["path"]?.GetValue<string>() is not { } path)
            {
                throw StatusResponses.BadRequest("invalid JSON patch operation: each operation needs \"op\" and \"path\"");
            }
            document = name switch
            {
                "add" => Add(document, path, Value(op)),
                "remove" => Remove(document, path, out _),
                "replace" => Add(Remove(document, path, out _), path, Value(op)),
                "move" => Move(document, From(op), path),
                "copy" => Add(document, path, Find(document, From(op))?.DeepClone()),
                "test" => Test(document, path, Value(op)),
                _ => throw StatusResponses.BadRequest($"Unexpected kind: {name}"),
            };
        }
        return document;
    }

    private static JsonNode? Move(JsonNode? document, string from, string path)
    {
        document = Remove(document, from, out var value);
        return Add(document, path, value);
    }

    private static JsonNode? Test(JsonNode? document, string path, JsonNode? expected) =>
        JsonNode.DeepEquals(Find(document, path), expected)
            ? document
            : throw StatusResponses.UnprocessablePatch($"testing value {path} failed: test failed");

    private static JsonNode? Add(JsonNode? document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }
        var (parent, token) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array when token == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(token, out var index) && index >= 0 && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw StatusResponses.UnprocessablePatch($"add operation does not apply: doc is missing path: \"{path}\"");
        }
        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string path, out JsonNode? removed)
    {
        var (parent, token) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(token):
                removed = obj[token];
                obj.Remove(token);
                break;
            case JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count:
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw StatusResponses.UnprocessablePatch($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
        return document;
    }

    private static (JsonNode? Parent, string Token) Parent(JsonNode? document, string path)
    {
        var tokens = Tokens(path);
        var parent = tokens.Count == 1 ? document : Find(document, tokens.Take(tokens.Count - 1));
        return (parent, tokens[^1]);
    }

    private static JsonNode? Find(JsonNode? document, string path) => Find(document, Tokens(path));

    private static JsonNode? Find(JsonNode? node, IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject obj => obj[token],
                JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>Splits an RFC 6901 pointer and unescapes <c>~1</c> and <c>~0</c>.</summary>
    private static List<string> Tokens(string path) =>
        path.StartsWith('/')
            ? path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList()
            : throw StatusResponses.BadRequest($"JSON pointer must start with '/': \"{path}\"");

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw StatusResponses.BadRequest($"missing value for operation \"{op["op"]}\"");

    private static string From(JsonObject op) =>
        op["from"]?.GetValue<string>() ?? throw StatusResponses.BadRequest($"missing from for operation \"{op["op"]}\"");
}
