using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Semantics;

/// <summary>
/// Write rules for Secrets and ConfigMaps (kubernetes <c>pkg/apis/core/validation</c>): write-only <c>stringData</c>,
/// the default and immutable Secret <c>type</c>, key syntax, base64 data, and <c>immutable: true</c>.
/// </summary>
internal static partial class ConfigDataRules
{
    private const string ImmutableMessage = "field is immutable when `immutable` is set";

    /// <summary>Normalises and validates <paramref name="desired"/>; <paramref name="current"/> is null on create.</summary>
    public static void Apply(ResourceType type, JsonObject? current, JsonObject desired)
    {
        if (type == ResourceRegistry.Secrets)
        {
            MergeStringData(desired);
            if (string.IsNullOrEmpty(desired.Text("type")))
            {
                desired["type"] = "Opaque";
            }
            if (current is not null && current.Text("type") != desired.Text("type"))
            {
                throw StatusResponses.Invalid(type, desired.Name(), FieldError.Invalid("type", desired.Text("type")!, "field is immutable"));
            }
            ValidateBase64(type, desired);
        }
        else if (type != ResourceRegistry.ConfigMaps)
        {
            return;
        }
        ValidateKeys(type, desired, "data");
        ValidateKeys(type, desired, "binaryData");
        if (current is not null && current.Flag("immutable"))
        {
            EnforceImmutable(type, current, desired);
        }
    }

    /// <summary>"All keys and values are merged into the data field on write … stringData is never output."</summary>
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is JsonObject stringData)
        {
            var data = secret.Child("data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
            }
        }
        secret.Remove("stringData");
    }

    private static void ValidateBase64(ResourceType type, JsonObject secret)
    {
        if (secret["data"] is not JsonObject data)
        {
            return;
        }
        foreach (var (_, value) in data)
        {
            var text = value?.ToString() ?? "";
            if (!Convert.TryFromBase64String(text, new byte[text.Length], out _))
            {
                throw StatusResponses.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: illegal base64 data");
            }
        }
    }

    private static void ValidateKeys(ResourceType type, JsonObject obj, string field)
    {
        if (obj[field] is not JsonObject map)
        {
            return;
        }
        var errors = map
            .Where(p => !ConfigKey().IsMatch(p.Key))
            .Select(p => FieldError.Invalid($"{field}[{p.Key}]", p.Key,
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"))
            .ToList();
        if (errors.Count > 0)
        {
            throw StatusResponses.Invalid(type.QualifiedKind, obj.Name(), errors);
        }
    }

    private static void EnforceImmutable(ResourceType type, JsonObject current, JsonObject desired)
    {
        var errors = new List<FieldError>();
        foreach (var field in type == ResourceRegistry.Secrets ? ["data"] : new[] { "data", "binaryData" })
        {
            if (!JsonNode.DeepEquals(current[field], desired[field]))
            {
                errors.Add(FieldError.Forbidden(field, ImmutableMessage));
            }
        }
        if (!desired.Flag("immutable"))
        {
            errors.Add(FieldError.Forbidden("immutable", ImmutableMessage));
        }
        if (errors.Count > 0)
        {
            throw StatusResponses.Invalid(type.QualifiedKind, desired.Name(), errors);
        }
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();
}
