using System.Text.Json;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Manifests;
using DaprSecurity.KubeApiServer.Patching;
using DaprSecurity.KubeApiServer.Protobuf;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>Reads request bodies in the encodings the apiserver accepts: JSON, YAML, protobuf, and the patch types.</summary>
internal static class RequestBody
{
    private static readonly string[] ObjectTypes = [MediaTypes.Json, MediaTypes.Yaml, MediaTypes.Protobuf];
    private static readonly string[] PatchTypes = [MediaTypes.JsonPatch, MediaTypes.MergePatch, MediaTypes.StrategicMergePatch, MediaTypes.ApplyPatch];

    /// <summary>The object of a POST or PUT.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        var body = await ReadAllAsync(request);
        var node = MediaTypes.Essence(request.ContentType) switch
        {
            "" or MediaTypes.Json => ParseJson(body),
            MediaTypes.Yaml => ParseYaml(body),
            MediaTypes.Protobuf => ProtobufDecoder.Decode(body),
            var other => throw StatusResponses.UnsupportedMediaType(other, ObjectTypes),
        };
        return node as JsonObject ?? throw StatusResponses.BadRequest("the request body must be an object");
    }

    public static async Task<(PatchKind Kind, JsonNode? Patch)> ReadPatchAsync(HttpRequest request)
    {
        var kind = MediaTypes.Essence(request.ContentType) switch
        {
            MediaTypes.JsonPatch => PatchKind.Json,
            MediaTypes.MergePatch => PatchKind.Merge,
            MediaTypes.StrategicMergePatch => PatchKind.StrategicMerge,
            MediaTypes.ApplyPatch => PatchKind.Apply,
            var other => throw StatusResponses.UnsupportedMediaType(other, PatchTypes),
        };
        var body = await ReadAllAsync(request);
        return (kind, kind == PatchKind.Apply ? ParseYaml(body) : ParseJson(body));
    }

    /// <summary>The DeleteOptions of a DELETE, when it has a JSON body (kubectl's dynamic client sends one).</summary>
    public static async Task<JsonObject?> ReadOptionalJsonAsync(HttpRequest request)
    {
        if (MediaTypes.Essence(request.ContentType) is not ("" or MediaTypes.Json))
        {
            return null;
        }
        var body = await ReadAllAsync(request);
        return body.Length == 0 ? null : ParseJson(body) as JsonObject;
    }

    private static async Task<byte[]> ReadAllAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private static JsonNode? ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw StatusResponses.BadRequest($"the body of the request could not be decoded as JSON: {e.Message}");
        }
    }

    private static JsonNode? ParseYaml(byte[] body)
    {
        try
        {
            return YamlConverter.ParseDocuments(System.Text.Encoding.UTF8.GetString(body)).FirstOrDefault();
        }
        catch (FormatException e)
        {
            throw StatusResponses.BadRequest($"the body of the request could not be decoded as YAML: {e.Message}");
        }
    }
}
