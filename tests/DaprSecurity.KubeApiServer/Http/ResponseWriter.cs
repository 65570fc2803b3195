using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>Writes JSON answers. Stored objects go out as their pre-serialised bytes; lists are spliced from them.</summary>
internal static class ResponseWriter
{
    public static Task WriteAsync(HttpContext context, int statusCode, JsonNode body, string contentType = MediaTypes.Json) =>
        WriteAsync(context, statusCode, body.ToUtf8Json(), contentType);

    public static async Task WriteAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body, string contentType = MediaTypes.Json)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiException error) => WriteAsync(context, error.Code, error.ToStatus());

    /// <summary>A <c>{Kind}List</c> whose items are the stored JSON, unparsed.</summary>
    public static Task WriteListAsync(HttpContext context, ResourceType type, ListPage page, string? continueToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.Kind + "List");
            writer.WriteString("apiVersion", type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", page.Revision.ToString(CultureInfo.InvariantCulture));
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
                writer.WriteNumber("remainingItemCount", page.Remaining);
            }
            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                writer.WriteRawValue(item.Json.Span, skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return WriteAsync(context, StatusCodes.Status200OK, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
