using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Patching;

/// <summary>
/// The subset of strategic merge patch (<c>application/strategic-merge-patch+json</c>) that kubectl's client-side apply,
/// <c>patch</c> and <c>rollout restart</c> produce for built-in kinds: maps merge, null deletes, the well-known lists merge by
/// their <c>patchMergeKey</c>, and the directives <c>$patch</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/…</c> and
/// <c>$setElementOrder/…</c> (an ordering hint only, so it is dropped) are honoured. Every other list is replaced.
/// </summary>
public static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private static readonly HashSet<string> ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> in place.</summary>
    public static void Apply(JsonObject target, JsonObject patch) => MergeObject(target, patch, parentField: null);

    /// <summary>The patchMergeKey of a list field (k8s.io/api struct tags), or null when the list is replaced.</summary>
    private static string? MergeKey(string field, string? parentField) => field switch
    {
        "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
        "volumeMounts" or "volumeDevices" => "mountPath",
        "ports" => parentField is not null && ContainerLists.Contains(parentField) ? "containerPort" : "port",
        "conditions" => "type",
        "ownerReferences" => "uid",
        _ => null,
    };

    private static void MergeObject(JsonObject target, JsonObject patch, string? parentField)
    {
        if (DirectiveOf(patch) == "replace")
        {
            target.Clear();
        }
        foreach (var (key, value) in patch)
        {
            if (key is Directive or RetainKeys || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(target, key[DeleteFromPrimitiveListPrefix.Length..], value as JsonArray);
                continue;
            }
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject valueObject when DirectiveOf(valueObject) == "delete":
                    target.Remove(key);
                    break;
                case JsonObject valueObject:
                    if (target[key] is not JsonObject existing)
                    {
                        existing = [];
                        target[key] = existing;
                    }
                    MergeObject(existing, valueObject, key);
                    break;
                case JsonArray valueArray:
                    target[key] = MergeList(target[key] as JsonArray, valueArray, key, MergeKey(key, parentField));
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string field, string? mergeKey)
    {
        var replace = mergeKey is null || target is null
            || patch.Any(e => e is JsonObject o && o.Count == 1 && DirectiveOf(o) == "replace");
        var result = replace ? [] : target!;
        foreach (var element in patch)
        {
            if (element is not JsonObject item || mergeKey is null)
            {
                result.Add(element?.DeepClone());
                continue;
            }
            if (item.Count == 1 && DirectiveOf(item) == "replace")
            {
                continue;
            }
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], item[mergeKey]));
            if (DirectiveOf(item) == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
                continue;
            }
            if (existing is null)
            {
                existing = [];
                result.Add(existing);
            }
            MergeObject(existing, item, field);
        }
        return result;
    }

    private static void DeleteFromPrimitiveList(JsonObject target, string field, JsonArray? values)
    {
        if (target[field] is not JsonArray list || values is null)
        {
            return;
        }
        foreach (var element in list.Where(e => values.Any(v => JsonNode.DeepEquals(e, v))).ToList())
        {
            list.Remove(element);
        }
    }

    private static string? DirectiveOf(JsonObject obj) =>
        obj.TryGetPropertyValue(Directive, out var value) ? value?.GetValue<string>() : null;
}
