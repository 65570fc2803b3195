namespace DaprSecurity.Output;

/// <summary>
/// The topic scoping metadata of a pub/sub component, as written (names matched case-insensitively, as Dapr does).
/// A value set through secretKeyRef or envRef reads "(from secret NAME)" or "(from env NAME)".
/// </summary>
public sealed class DaprTopicRules
{
    /// <summary>"app1=topic1,topic2;app2=topic3": a listed app may publish only to its topics ("app=" means none).</summary>
    public string? PublishingScopes { get; init; }

    /// <summary>Same format as PublishingScopes, for subscribing.</summary>
    public string? SubscriptionScopes { get; init; }

    /// <summary>"topic1,topic2": when set, every other topic is denied to every app.</summary>
    public string? AllowedTopics { get; init; }

    /// <summary>"topic1,topic2": only apps that list the topic in the relevant scopes may use it.</summary>
    public string? ProtectedTopics { get; init; }

    public override string ToString() => string.Join("; ", new (string Name, string? Value)[]
    {
        ("publishingScopes", PublishingScopes),
        ("subscriptionScopes", SubscriptionScopes),
        ("allowedTopics", AllowedTopics),
        ("protectedTopics", ProtectedTopics),
    }.Where(r => r.Value is not null).Select(r => $"{r.Name}={r.Value}"));
}
