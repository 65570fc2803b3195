using DaprSecurity.Output;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// Topic scoping of a pub/sub component (dapr/dapr pkg/scopes and pkg/runtime/pubsub IsOperationAllowed):
/// metadata names match case-insensitively and spaces in values are ignored. For one app and one operation, with S
/// the topics the app is granted in publishingScopes or subscriptionScopes, A the allowedTopics and P the
/// protectedTopics, a topic is allowed when (A is empty or lists it) and (it is in S, or S is empty and it is not in P).
/// </summary>
internal sealed class PubSubTopicRules
{
    private const string PublishingScopes = "publishingScopes";
    private const string SubscriptionScopes = "subscriptionScopes";
    private const string AllowedTopics = "allowedTopics";
    private const string ProtectedTopics = "protectedTopics";

    private readonly IReadOnlyList<ComponentMetadata> _metadata;

    private PubSubTopicRules(IReadOnlyList<ComponentMetadata> metadata) => _metadata = metadata;

    /// <summary>The rules of a pub/sub component; null for other component types.</summary>
    public static PubSubTopicRules? From(ComponentDocument component)
        => component.Type.StartsWith("pubsub.", StringComparison.Ordinal) ? new PubSubTopicRules(component.Metadata) : null;

    public DaprTopicRules ToOutput() => new()
    {
        PublishingScopes = Written(PublishingScopes),
        SubscriptionScopes = Written(SubscriptionScopes),
        AllowedTopics = Written(AllowedTopics),
        ProtectedTopics = Written(ProtectedTopics),
    };

    /// <summary>The app-ids the per-app scopes name, so they can be checked against the namespace's apps.</summary>
    public IEnumerable<string> NamedAppIds()
        => new[] { PublishingScopes, SubscriptionScopes }
            .SelectMany(key => Entries(Literal(key)))
            .Select(entry => entry.AppId)
            .Distinct(StringComparer.Ordinal);

    public DaprTopicAccess Publish(string appId) => Access(PublishingScopes, appId);

    public DaprTopicAccess Subscribe(string appId) => Access(SubscriptionScopes, appId);

    private DaprTopicAccess Access(string scopesKey, string appId)
    {
        if (new[] { scopesKey, AllowedTopics, ProtectedTopics }.Any(key => Find(key)?.Reference is not null))
        {
            return new DaprTopicAccess { IsKnown = false };
        }

        var granted = Entries(Literal(scopesKey)).Where(e => e.AppId == appId).SelectMany(e => e.Topics).Distinct(StringComparer.Ordinal).ToList();
        var allowed = Topics(Literal(AllowedTopics));
        var protectedTopics = Topics(Literal(ProtectedTopics));
        if (granted.Count > 0)
        {
            return new DaprTopicAccess { Topics = granted.Where(t => t.Length > 0 && (allowed.Count == 0 || allowed.Contains(t))).ToArray() };
        }

        return allowed.Count > 0
            ? new DaprTopicAccess { Topics = allowed.Where(t => t.Length > 0 && !protectedTopics.Contains(t)).ToArray() }
            : new DaprTopicAccess { AllTopics = true, ExceptTopics = protectedTopics.Where(t => t.Length > 0).ToArray() };
    }

    /// <summary>"app1=t1,t2;app2=t3": entries without "=" are ignored; "app1=" grants the empty topic, i.e. none.</summary>
    private static IEnumerable<(string AppId, IReadOnlyList<string> Topics)> Entries(string? value)
        => (value ?? "").Replace(" ", "", StringComparison.Ordinal)
            .Split(';')
            .Select(entry => entry.Split('='))
            .Where(parts => parts.Length >= 2 && value!.Length > 0)
            .Select(parts => (parts[0], (IReadOnlyList<string>)parts[1].Split(',')));

    private static List<string> Topics(string? value)
        => string.IsNullOrEmpty(value) ? new List<string>() : value.Replace(" ", "", StringComparison.Ordinal).Split(',').Distinct(StringComparer.Ordinal).ToList();

    private ComponentMetadata? Find(string key) => _metadata.FirstOrDefault(m => string.Equals(m.Name, key, StringComparison.OrdinalIgnoreCase));

    private string? Literal(string key) => Find(key)?.Value;

    private string? Written(string key) => Find(key) is { } item ? item.Reference is { } reference ? $"({reference})" : item.Value ?? "" : null;
}
