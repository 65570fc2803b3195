using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Patching;

/// <summary>RFC 7386 JSON Merge Patch (<c>application/merge-patch+json</c>): objects merge, null deletes, arrays are replaced whole.</summary>
public static class MergePatch
{
    /// <summary>Returns the patched document; objects in <paramref name="target"/> are changed in place, keeping their key order.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonObject && result[key] is JsonObject existing)
            {
                Apply(existing, value);
            }
            else
            {
                result[key] = Apply(null, value);
            }
        }
        return result;
    }
}
