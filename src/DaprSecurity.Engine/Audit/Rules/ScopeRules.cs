using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>Component scopes: who may load each component, and scoping Dapr silently ignores (ScopeFindings).</summary>
internal static class ScopeRules
{
    private static readonly string[] s_topicKeys = { "publishingScopes", "subscriptionScopes", "allowedTopics", "protectedTopics" };

    /// <summary>DAPR-SCOPE-001: a component without a top-level scopes list is loaded by every app of its namespace.</summary>
    public static IEnumerable<RuleFinding> Scoped(AuditSnapshot snapshot)
        => snapshot.Components.Select(c => (Document: c, Component: new ComponentDocument(c.Json))).Select(c => c.Component.IsScoped
            ? RuleFinding.Pass(c.Document.Resource, $"Scoped to {string.Join(", ", c.Component.Scopes)}.", new[] { "scopes" })
            : RuleFinding.Fail(c.Document.Resource, $"Component '{c.Component.DisplayName}' ({c.Component.Type}) has no scopes: every app in its namespace can load it.", new[] { "metadata", "name" }));

    /// <summary>DAPR-SCOPE-002: scope:, Scopes:, spec.scopes and the like, which Dapr ignores (dapr/dapr#7564).</summary>
    public static IEnumerable<RuleFinding> Misplaced(AuditSnapshot snapshot)
    {
        foreach (var document in snapshot.Components)
        {
            var (findings, paths) = Find(document, f =>
            {
                f.CheckKeys();
                if (snapshot.Cluster is not null)
                {
                    f.CheckLastApplied();
                }
            });
            var misplaced = findings.Select((f, i) => (Finding: f, Path: paths[i])).Where(f => f.Finding.Code != "ScopeAppIdInvalid").ToList();
            if (misplaced.Count == 0)
            {
                yield return RuleFinding.Pass(document.Resource, "Its scopes, if any, are in the top-level 'scopes' list Dapr reads.");
            }

            foreach (var (finding, path) in misplaced)
            {
                yield return RuleFinding.Fail(document.Resource, finding.Message, path);
            }
        }
    }

    /// <summary>DAPR-SCOPE-003: app-ids in scopes (and topic scopes) that no Dapr app of the namespace has, or that no app can have.</summary>
    public static IEnumerable<RuleFinding> KnownAppIds(AuditSnapshot snapshot)
    {
        foreach (var document in snapshot.Components)
        {
            var appIds = DaprApps.AppIds(snapshot, document.Resource.Namespace);
            if (snapshot.Cluster is null && appIds.Count == 0)
            {
                continue; // The folder holds no workloads of that namespace to compare with.
            }

            var (findings, paths) = Find(document, f => f.CheckKeys().CheckKnownApps(appIds));
            var unknown = findings.Select((f, i) => (Finding: f, Path: paths[i])).Where(f => f.Finding.Code is "ScopeAppIdInvalid" or "ScopeAppIdUnknown").ToList();
            if (unknown.Count == 0)
            {
                yield return RuleFinding.Pass(document.Resource, "Every app-id it names belongs to a Dapr app of its namespace.");
            }

            foreach (var (finding, path) in unknown)
            {
                yield return RuleFinding.Fail(document.Resource, finding.Message, path);
            }
        }
    }

    /// <summary>DAPR-SCOPE-004: a secret store whose apps' Configurations do not limit its secrets (spec.secrets.scopes).</summary>
    public static IEnumerable<RuleFinding> SecretStoreScoped(AuditSnapshot snapshot)
    {
        foreach (var document in snapshot.Components)
        {
            var component = new ComponentDocument(document.Json);
            if (!component.Type.StartsWith("secretstores.", StringComparison.Ordinal))
            {
                continue;
            }

            var open = DaprApps.In(snapshot, component.Namespace)
                .Where(w => w.AppId is { } id && component.Admits(id))
                .Where(w => snapshot.Configuration(w.Resource.Namespace, w.Annotation(Dapr.DaprAnnotations.Config)) is not { } configuration
                            || !new ConfigurationDocument(configuration.Json).SecretScopes.ContainsKey(component.Name))
                .Select(w => w.AppId!)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            yield return open.Count == 0
                ? RuleFinding.Pass(document.Resource, $"Every app that can load secret store '{component.Name}' has spec.secrets.scopes for it in its Configuration.")
                : RuleFinding.Fail(document.Resource, $"Secret store '{component.DisplayName}' can be read in full by {string.Join(", ", open)}: their Configuration has no spec.secrets.scopes entry for it (default allow).", new[] { "metadata", "name" });
        }
    }

    /// <summary>DAPR-SCOPE-005 (Info): a pub/sub component without topic scoping lets its apps use every topic.</summary>
    public static IEnumerable<RuleFinding> TopicScoped(AuditSnapshot snapshot)
    {
        foreach (var document in snapshot.Components)
        {
            var component = new ComponentDocument(document.Json);
            if (!component.Type.StartsWith("pubsub.", StringComparison.Ordinal))
            {
                continue;
            }

            var written = component.Metadata.Where(m => s_topicKeys.Contains(m.Name, StringComparer.OrdinalIgnoreCase)).Select(m => m.Name).ToList();
            yield return written.Count > 0
                ? RuleFinding.Pass(document.Resource, $"Topic scoping: {string.Join(", ", written)}.", new[] { "spec", "metadata" })
                : RuleFinding.Fail(document.Resource, $"Pub/sub '{component.DisplayName}' has no publishingScopes, subscriptionScopes, allowedTopics or protectedTopics: every app that loads it may publish and subscribe to every topic.", new[] { "spec", "type" });
        }
    }

    /// <summary>Runs ScopeFindings, recording the key path of each finding as it asks for its line.</summary>
    private static (IReadOnlyList<DaprScopeFinding> Findings, IReadOnlyList<IReadOnlyList<string>> Paths) Find(AuditDocument document, Action<ScopeFindings> check)
    {
        var paths = new List<IReadOnlyList<string>>();
        int? Locate(IReadOnlyList<string> keyPath, int? item)
        {
            var path = item is { } i ? keyPath.Append($"[{i}]").ToList() : keyPath.ToList();
            paths.Add(path);
            return document.Resource.Source?.Locate(path).Line;
        }

        var findings = new ScopeFindings(new ComponentDocument(document.Json), document.Resource.Source?.RelativePath, Locate);
        check(findings);
        return (findings.All, paths);
    }
}
