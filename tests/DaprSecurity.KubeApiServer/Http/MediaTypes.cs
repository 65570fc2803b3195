namespace DaprSecurity.KubeApiServer.Http;

/// <summary>Media types the apiserver speaks, and the Accept checks that pick a response shape.</summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string Protobuf = "application/vnd.kubernetes.protobuf";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>The response type that makes client-go read a body as aggregated discovery.</summary>
    public const string AggregatedDiscovery = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>The media type without parameters: clients send <c>application/json; charset=utf-8</c>.</summary>
    public static string Essence(string? contentType)
    {
        var value = contentType ?? "";
        var semicolon = value.IndexOf(';');
        return (semicolon >= 0 ? value[..semicolon] : value).Trim().ToLowerInvariant();
    }

    /// <summary>Whether the client asked for a <c>meta.k8s.io</c> Table (kubectl get's human output).</summary>
    public static bool WantsTable(string? accept) => accept?.Contains("as=Table", StringComparison.Ordinal) == true;

    /// <summary>Whether the client accepts aggregated discovery v2 (kubectl 1.30+ does; KubernetesClient does not).</summary>
    public static bool WantsAggregatedDiscovery(string? accept) =>
        accept?.Contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", StringComparison.Ordinal) == true;
}
