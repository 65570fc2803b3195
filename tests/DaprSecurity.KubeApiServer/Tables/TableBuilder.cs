using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Tables;

/// <summary>
/// Builds <c>meta.k8s.io/v1 Table</c> responses, which kubectl asks for to print <c>get</c> output. Each row carries the object's
/// metadata (PartialObjectMetadata), from which kubectl takes the NAMESPACE column under <c>-A</c>.
/// </summary>
internal static class TableBuilder
{
    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken = null)
    {
        var columns = PrinterColumns.For(type);
        var now = DateTimeOffset.UtcNow;
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Name,
                ["priority"] = 0,
            }).ToArray()),
            ["rows"] = new JsonArray(objects.Select(o => (JsonNode)new JsonObject
            {
                ["cells"] = new JsonArray(columns.Select(c => c.Cell(o, now)).ToArray()),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                },
            }).ToArray()),
        };
    }
}
