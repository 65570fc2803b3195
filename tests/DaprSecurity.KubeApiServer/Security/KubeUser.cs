namespace DaprSecurity.KubeApiServer.Security;

/// <summary>
/// A rule that forbids verbs on resources, optionally only in one namespace or only across all namespaces (requests
/// without a namespace, such as a cluster-wide list). <c>*</c> matches everything. Verbs are Kubernetes verbs: get,
/// list, watch, create, update, patch, delete, deletecollection.
/// </summary>
public sealed record AccessRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> Resources, string? Namespace = null, bool ClusterWideOnly = false)
{
    /// <summary>For example <c>AccessRule.Forbid("create,update,patch,delete", "secrets")</c>.</summary>
    public static AccessRule Forbid(string verbs, string resources, string? ns = null) =>
        new(verbs.Split(',', StringSplitOptions.TrimEntries), resources.Split(',', StringSplitOptions.TrimEntries), ns);

    /// <summary>A user whose rights end at namespaces: for example <c>AccessRule.ForbidClusterWide("list,watch", "pods")</c>.</summary>
    public static AccessRule ForbidClusterWide(string verbs, string resources) =>
        new(verbs.Split(',', StringSplitOptions.TrimEntries), resources.Split(',', StringSplitOptions.TrimEntries), ClusterWideOnly: true);

    public bool Matches(string verb, string resource, string? ns) =>
        Includes(Verbs, verb) && Includes(Resources, resource) && (ClusterWideOnly ? ns is null : Namespace is null || Namespace == ns);

    private static bool Includes(IReadOnlyList<string> values, string value) =>
        values.Any(v => v == "*" || string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An identity the server knows: authenticated by bearer token and/or a client certificate with CN = name.</summary>
public sealed record KubeUser(string Name, string? Token, IReadOnlyList<AccessRule> Forbidden)
{
    public bool IsForbidden(string verb, string resource, string? ns) => Forbidden.Any(rule => rule.Matches(verb, resource, ns));
}
