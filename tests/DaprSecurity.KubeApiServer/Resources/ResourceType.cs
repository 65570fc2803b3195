namespace DaprSecurity.KubeApiServer.Resources;

/// <summary>One served resource (for example <c>apps/v1 deployments</c>): the facts discovery, OpenAPI, routing and the write rules need.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced)
{
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Groups such as <c>all</c>, which <c>kubectl get all</c> expands through discovery.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Served like a CRD: no strategic merge patch, and PUT requires a resourceVersion.</summary>
    public bool IsCustomResource { get; init; }

    /// <summary>Has a <c>/status</c> subresource, so writes to the main resource keep the live status and vice versa.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>Objects carry <c>metadata.generation</c>, bumped when the spec changes.</summary>
    public bool TracksGeneration { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>URL prefix of the group version: <c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary><c>secrets</c> or <c>deployments.apps</c>, as in error messages.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary><c>Secret</c> or <c>Deployment.apps</c>, as in Invalid messages.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public static readonly IReadOnlyList<string> Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
