using System.Text.Json.Nodes;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Scopes;

/// <summary>A spec.metadata item: a literal value, or a reference resolved at run time (secretKeyRef, envRef).</summary>
internal sealed record ComponentMetadata(string Name, string? Value, string? Reference);

/// <summary>
/// A Dapr Component (dapr/dapr pkg/apis/components/v1alpha1) read from its JSON, whether it came from the API
/// server or from a manifest. Scopes are the top-level <c>scopes</c> list; anything else that looks like scopes is
/// what <see cref="ScopeFindings"/> reports.
/// </summary>
internal sealed class ComponentDocument
{
    public ComponentDocument(JsonObject json)
    {
        Json = json;
        var spec = json["spec"] as JsonObject;
        Namespace = JsonText.Of(json, "metadata", "namespace") ?? "";
        Name = JsonText.Of(json, "metadata", "name") ?? "";
        ResourceVersion = JsonText.Of(json, "metadata", "resourceVersion");
        Type = JsonText.Of(spec?["type"]) ?? "";
        Version = JsonText.Of(spec?["version"]) ?? "";
        var scopes = json["scopes"];
        var list = scopes is null ? Array.Empty<string>() : JsonText.Strings(scopes);
        ScopesAreValid = list is not null;
        Scopes = list ?? Array.Empty<string>();
        Metadata = (spec?["metadata"] as JsonArray ?? new JsonArray())
            .OfType<JsonObject>()
            .Select(item => new ComponentMetadata(JsonText.Of(item["name"]) ?? "", JsonText.Of(item["value"]), Reference(item)))
            .ToList();
    }

    public JsonObject Json { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string? ResourceVersion { get; }

    public string Type { get; }

    public string Version { get; }

    /// <summary>The app-ids of the top-level scopes list; empty when missing, empty or not a list.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>False when <c>scopes</c> is present but not a list of strings.</summary>
    public bool ScopesAreValid { get; }

    public bool IsScoped => Scopes.Count > 0;

    public IReadOnlyList<ComponentMetadata> Metadata { get; }

    /// <summary>"prod/statestore" (just the name when the manifest sets no namespace).</summary>
    public string DisplayName => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";

    /// <summary>Dapr's rule (pkg/apis/common Scoped.IsAppScoped): no scopes admit every app, otherwise an exact match.</summary>
    public bool Admits(string appId) => !IsScoped || Scopes.Contains(appId, StringComparer.Ordinal);

    private static string? Reference(JsonObject item)
        => item["secretKeyRef"] is JsonObject secret ? $"from secret {JsonText.Of(secret["name"])}"
            : item["envRef"] is { } env ? $"from env {JsonText.Of(env)}"
            : null;
}
