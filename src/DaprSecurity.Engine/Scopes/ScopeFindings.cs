using System.Text.Json.Nodes;
using System.Text.Json;
using DaprSecurity.Engine.Text;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Where a finding points: a key path in the document (for a line number in manifests).</summary>
internal delegate int? LineLocator(IReadOnlyList<string> keyPath, int? itemIndex = null);

/// <summary>
/// Finds what makes a component less scoped than its author meant: scopes under a key Dapr ignores (<c>scope:</c>,
/// <c>Scopes:</c>, <c>spec.scopes</c>, see dapr/dapr#7564), a scopes value that is not a list, and app-ids that cannot
/// match (invalid, or unknown in the namespace).
/// </summary>
internal sealed class ScopeFindings
{
    private static readonly string[] s_nestedParents = { "spec", "metadata" };

    private readonly ComponentDocument _component;
    private readonly string? _path;
    private readonly LineLocator _lineOf;
    private readonly List<DaprScopeFinding> _findings = new();

    public ScopeFindings(ComponentDocument component, string? path, LineLocator lineOf)
    {
        _component = component;
        _path = path;
        _lineOf = lineOf;
    }

    public IReadOnlyList<DaprScopeFinding> All => _findings;

    /// <summary>Checks the keys and the scopes list of the component itself.</summary>
    public ScopeFindings CheckKeys()
    {
        foreach (var (keyPath, key) in Misplaced(_component.Json))
        {
            Add(CodeFor(keyPath), $"has '{string.Join('.', keyPath)}', which Dapr ignores: {Advice(keyPath, key)}", keyPath);
        }

        if (!_component.ScopesAreValid)
        {
            Add("ScopesNotAList", "has a 'scopes' value that is not a list of app-ids; the API server rejects it.", new[] { "scopes" });
        }

        for (var i = 0; i < _component.Scopes.Count; i++)
        {
            if (!KubernetesNames.IsAppId(_component.Scopes[i]))
            {
                Add("ScopeAppIdInvalid", $"lists '{_component.Scopes[i]}' in scopes, which is not a valid app-id on Kubernetes (lowercase letters, digits and '-'), so no app matches it.", new[] { "scopes" }, i);
            }
        }

        return this;
    }

    /// <summary>
    /// Reports misplaced keys that the manifest last applied with kubectl had but the live object lacks: the API server
    /// pruned them as unknown fields, so the author believes the component is scoped when it is not.
    /// </summary>
    public ScopeFindings CheckLastApplied()
    {
        var annotation = JsonText.Of(_component.Json, "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration");
        JsonObject? applied;
        try
        {
            applied = annotation is null ? null : JsonNode.Parse(annotation) as JsonObject;
        }
        catch (JsonException)
        {
            return this;
        }

        var live = Misplaced(_component.Json).Select(m => string.Join('.', m.KeyPath)).ToHashSet(StringComparer.Ordinal);
        foreach (var (keyPath, key) in applied is null ? Enumerable.Empty<(string[], string)>() : Misplaced(applied))
        {
            if (!live.Contains(string.Join('.', keyPath)))
            {
                Add("ScopeKeyDroppedByServer", $"was applied with '{string.Join('.', keyPath)}', which the API server dropped as an unknown field: {Advice(keyPath, key)}", keyPath);
            }
        }

        return this;
    }

    /// <summary>Reports scopes (and pub/sub topic scopes) that name an app-id no Dapr workload in the namespace has: typos, renamed apps.</summary>
    public ScopeFindings CheckKnownApps(IReadOnlySet<string> appIds)
    {
        var where = _component.Namespace.Length == 0 ? "the manifests" : $"namespace '{_component.Namespace}'";
        for (var i = 0; i < _component.Scopes.Count; i++)
        {
            var appId = _component.Scopes[i];
            if (KubernetesNames.IsAppId(appId) && !appIds.Contains(appId))
            {
                Add("ScopeAppIdUnknown", $"lists '{appId}' in scopes, but no Dapr workload in {where} has that app-id.", new[] { "scopes" }, i);
            }
        }

        foreach (var appId in PubSubTopicRules.From(_component)?.NamedAppIds().Where(a => !appIds.Contains(a)) ?? Enumerable.Empty<string>())
        {
            Add("ScopeAppIdUnknown", $"names '{appId}' in its topic scopes (publishingScopes or subscriptionScopes), but no Dapr workload in {where} has that app-id.", new[] { "spec", "metadata" });
        }

        return this;
    }

    /// <summary>Keys whose name is scope or scopes in any case, at the top level or under spec or metadata, except the real one.</summary>
    private static IEnumerable<(string[] KeyPath, string Key)> Misplaced(JsonObject json)
    {
        foreach (var key in json.Select(p => p.Key).Where(k => k != "scopes" && IsScopeLike(k)))
        {
            yield return (new[] { key }, key);
        }

        foreach (var parent in s_nestedParents)
        {
            if (json[parent] is JsonObject nested)
            {
                foreach (var key in nested.Select(p => p.Key).Where(IsScopeLike))
                {
                    yield return (new[] { parent, key }, key);
                }
            }
        }
    }

    private static bool IsScopeLike(string key) => key.Equals("scopes", StringComparison.OrdinalIgnoreCase) || key.Equals("scope", StringComparison.OrdinalIgnoreCase);

    private static string CodeFor(string[] keyPath)
        => keyPath.Length > 1 ? "ScopesMisplaced"
            : keyPath[0].Equals("scopes", StringComparison.OrdinalIgnoreCase) ? "ScopesKeyWrongCase"
            : "ScopeKeyMisspelled";

    private static string Advice(string[] keyPath, string key)
        => keyPath.Length > 1 ? "scopes is a top-level field of a Component, not part of " + keyPath[0] + "."
            : key.Equals("scopes", StringComparison.OrdinalIgnoreCase) ? "keys are case-sensitive; write 'scopes'."
            : "the field is 'scopes' (plural).";

    private void Add(string code, string problem, IReadOnlyList<string> keyPath, int? item = null)
    {
        var line = _lineOf(keyPath, item);
        var location = _path is null ? "" : $" ({_path}:{line})";

        // Not for each unknown app-id: a list of 10,000 scopes would be written out 10,000 times.
        var effect = code == "ScopeAppIdUnknown" ? ""
            : _component.IsScoped ? $" Its effective scopes are: {string.Join(", ", _component.Scopes)}."
            : " With no effective scopes, every app in its namespace can load it.";
        _findings.Add(new DaprScopeFinding
        {
            Code = code,
            Message = $"Component '{_component.DisplayName}'{location} {problem}{effect}",
            Component = _component.DisplayName,
            Path = _path,
            Line = _path is null ? null : line,
        });
    }
}
