using System.Text;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Semantics;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>Turning a workload's pod template into pods, and recognising which pods came from which template.</summary>
internal static class PodTemplates
{
    /// <summary>A hash of the template's content, independent of property order (like <c>pod-template-hash</c>).</summary>
    public static string Hash(JsonObject template)
    {
        var canonical = new StringBuilder();
        WriteCanonical(template, canonical);
        return NameGenerator.StableHash(canonical.ToString());
    }

    /// <summary>
    /// A pod as a controller creates it from <paramref name="template"/>: its labels (plus <paramref name="extraLabels"/>),
    /// annotations and spec, owned by <paramref name="owner"/>. Give a <paramref name="name"/> or let the server generate one.
    /// </summary>
    public static JsonObject NewPod(JsonObject template, JsonObject owner, string? name, string generateName,
        IReadOnlyDictionary<string, string> extraLabels)
    {
        var templateMeta = template["metadata"] as JsonObject;
        var labels = templateMeta?["labels"]?.DeepClone() as JsonObject ?? [];
        foreach (var (key, value) in extraLabels)
        {
            labels[key] = value;
        }
        var metadata = new JsonObject
        {
            ["namespace"] = owner.Namespace(),
            ["labels"] = labels,
            ["annotations"] = templateMeta?["annotations"]?.DeepClone() ?? new JsonObject(),
            ["ownerReferences"] = new JsonArray(Ownership.ReferenceTo(owner)),
        };
        if (name is null)
        {
            metadata["generateName"] = generateName;
        }
        else
        {
            metadata["name"] = name;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.Any(c => c.Text("type") == "Ready" && c.Text("status") == "True") ?? false;

    private static void WriteCanonical(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case JsonObject obj:
                output.Append('{');
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    output.Append(key).Append(':');
                    WriteCanonical(value, output);
                    output.Append(',');
                }
                output.Append('}');
                break;
            case JsonArray array:
                output.Append('[');
                foreach (var item in array)
                {
                    WriteCanonical(item, output);
                    output.Append(',');
                }
                output.Append(']');
                break;
            default:
                output.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
