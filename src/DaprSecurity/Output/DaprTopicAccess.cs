namespace DaprSecurity.Output;

/// <summary>The topics one app may publish or subscribe to on one pub/sub component, after all topic rules.</summary>
public sealed class DaprTopicAccess
{
    /// <summary>True when the app may use any topic except <see cref="ExceptTopics"/>.</summary>
    public bool AllTopics { get; init; }

    /// <summary>When <see cref="AllTopics"/> is false: the only topics the app may use (empty: none).</summary>
    public string[] Topics { get; init; } = Array.Empty<string>();

    /// <summary>When <see cref="AllTopics"/> is true: protected topics the app is not granted.</summary>
    public string[] ExceptTopics { get; init; } = Array.Empty<string>();

    /// <summary>False when a rule's value comes from a secret or an environment variable and cannot be evaluated here.</summary>
    public bool IsKnown { get; init; } = true;

    public override string ToString() => (IsKnown, AllTopics) switch
    {
        (false, _) => "unknown (a topic rule is set from a secret or env)",
        (true, true) => ExceptTopics.Length == 0 ? "all topics" : "all topics except " + string.Join(", ", ExceptTopics),
        _ => Topics.Length == 0 ? "no topics" : string.Join(", ", Topics),
    };
}
