using System.Text.Json.Nodes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// The parts of a Dapr Configuration (pkg/apis/configuration/v1alpha1) that decide what an app may reach: secret
/// store scopes, the service invocation access control default, and the component type deny list.
/// </summary>
internal sealed class ConfigurationDocument
{
    private readonly IReadOnlyList<(string Type, string? Version)> _deniedComponents;

    public ConfigurationDocument(JsonObject json)
    {
        var spec = json["spec"] as JsonObject;
        Namespace = JsonText.Of(json, "metadata", "namespace") ?? "";
        Name = JsonText.Of(json, "metadata", "name") ?? "";
        InvocationDefaultAction = DefaultAction(spec?["accessControl"] as JsonObject);
        SecretScopes = (JsonText.At(spec, "secrets", "scopes") as JsonArray ?? new JsonArray())
            .OfType<JsonObject>()
            .Where(scope => JsonText.Of(scope["storeName"]) is not null)
            .GroupBy(scope => JsonText.Of(scope["storeName"])!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => SecretAccess(g.First()), StringComparer.Ordinal);
        _deniedComponents = (JsonText.Strings(JsonText.At(spec, "components", "deny")) ?? Array.Empty<string>())
            .Where(entry => entry.Length > 0)
            .Select(entry => entry.Split('/'))
            .Where(parts => parts.Length <= 2)
            .Select(parts => (parts[0], parts.Length == 2 ? parts[1] : null))
            .ToList();
    }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>"allow" or "deny": what service invocation of the app does when no policy matches.</summary>
    public string InvocationDefaultAction { get; }

    /// <summary>spec.secrets.scopes by store name.</summary>
    public IReadOnlyDictionary<string, DaprSecretAccess> SecretScopes { get; }

    /// <summary>
    /// True when spec.components.deny keeps the sidecar from loading <paramref name="component"/>: an entry "type" or
    /// "type/version" matches, and with a deny list any component lacking a type or version is refused
    /// (dapr/dapr pkg/runtime/authorizer componentDenyList).
    /// </summary>
    public bool Denies(ComponentDocument component)
        => _deniedComponents.Count > 0
           && (component.Type.Length == 0 || component.Version.Length == 0
               || _deniedComponents.Any(d => d.Type == component.Type && (d.Version is null || d.Version == component.Version)));

    /// <summary>
    /// dapr/dapr pkg/acl ParseAccessControlSpec: no trust domain, default action or policies means no ACL (allow);
    /// an explicit default action wins; otherwise deny unless the policies list is present and empty.
    /// </summary>
    private static string DefaultAction(JsonObject? accessControl)
    {
        var defaultAction = JsonText.Of(accessControl?["defaultAction"]);
        var policies = accessControl?["policies"] as JsonArray;
        if (accessControl is null || (string.IsNullOrEmpty(JsonText.Of(accessControl["trustDomain"])) && string.IsNullOrEmpty(defaultAction) && (policies?.Count ?? 0) == 0))
        {
            return "allow";
        }

        return !string.IsNullOrEmpty(defaultAction) ? defaultAction.ToLowerInvariant()
            : policies is null || policies.Count > 0 ? "deny"
            : "allow";
    }

    private static DaprSecretAccess SecretAccess(JsonObject scope) => new()
    {
        DefaultAccess = string.Equals(JsonText.Of(scope["defaultAccess"]), "deny", StringComparison.OrdinalIgnoreCase) ? "deny" : "allow",
        AllowedSecrets = (JsonText.Strings(scope["allowedSecrets"]) ?? Array.Empty<string>()).ToArray(),
        DeniedSecrets = (JsonText.Strings(scope["deniedSecrets"]) ?? Array.Empty<string>()).ToArray(),
    };
}
