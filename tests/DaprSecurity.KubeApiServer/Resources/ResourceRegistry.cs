namespace DaprSecurity.KubeApiServer.Resources;

/// <summary>
/// Every resource the server serves. Discovery, OpenAPI, routing and manifest loading all read this one list,
/// so adding a resource here is all it takes to serve it.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceType> _byPath = [];
    private readonly Dictionary<(string ApiVersion, string Kind), ResourceType> _byKind = [];
    private readonly List<ResourceType> _all = [];

    public ResourceRegistry(IEnumerable<ResourceType> types)
    {
        foreach (var type in types)
        {
            _all.Add(type);
            _byPath.Add((type.Group, type.Version, type.Plural), type);
            _byKind.Add((type.ApiVersion, type.Kind), type);
        }
    }

    public IReadOnlyList<ResourceType> All => _all;

    /// <summary>Group versions in serving order, core first.</summary>
    public IEnumerable<(string Group, string Version)> GroupVersions => _all.Select(t => (t.Group, t.Version)).Distinct();

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    public ResourceType? FindByKind(string apiVersion, string kind) => _byKind.GetValueOrDefault((apiVersion, kind));

    public static ResourceType Namespaces { get; } = Core("namespaces", "namespace", "Namespace", namespaced: false, "ns") with { HasStatusSubresource = true };
    public static ResourceType Secrets { get; } = Core("secrets", "secret", "Secret", namespaced: true);
    public static ResourceType ConfigMaps { get; } = Core("configmaps", "configmap", "ConfigMap", namespaced: true, "cm");
    public static ResourceType Pods { get; } = Core("pods", "pod", "Pod", namespaced: true, "po") with
    {
        HasStatusSubresource = true,
        TracksGeneration = true,
        Categories = ["all"],
    };

    public static ResourceType Services { get; } = Core("services", "service", "Service", namespaced: true, "svc") with
    {
        HasStatusSubresource = true,
        Categories = ["all"],
    };

    public static ResourceType Ingresses { get; } = new("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", Namespaced: true) { ShortNames = ["ing"], HasStatusSubresource = true };
    public static ResourceType Deployments { get; } = Apps("deployments", "deployment", "Deployment", "deploy");
    public static ResourceType StatefulSets { get; } = Apps("statefulsets", "statefulset", "StatefulSet", "sts");
    public static ResourceType DaemonSets { get; } = Apps("daemonsets", "daemonset", "DaemonSet", "ds");
    public static ResourceType ReplicaSets { get; } = Apps("replicasets", "replicaset", "ReplicaSet", "rs");
    public static ResourceType DaprComponents { get; } = Dapr("components", "component", "Component");
    public static ResourceType DaprConfigurations { get; } = Dapr("configurations", "configuration", "Configuration");
    public static ResourceType DaprSubscriptions { get; } = Dapr("subscriptions", "subscription", "Subscription");
    public static ResourceType DaprResiliencies { get; } = Dapr("resiliencies", "resiliency", "Resiliency");
    public static ResourceType DaprHttpEndpoints { get; } = Dapr("httpendpoints", "httpendpoint", "HTTPEndpoint");

    /// <summary>The built-in kinds plus the Dapr custom resources.</summary>
    public static ResourceRegistry Default { get; } = new([
        Namespaces, ConfigMaps, Pods, Secrets, Services,
        DaemonSets, Deployments, ReplicaSets, StatefulSets,
        Ingresses,
        DaprComponents, DaprConfigurations, DaprHttpEndpoints, DaprResiliencies, DaprSubscriptions,
    ]);

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, params string[] shortNames) =>
        new("", "v1", plural, singular, kind, namespaced) { ShortNames = shortNames };

    private static ResourceType Apps(string plural, string singular, string kind, string shortName) =>
        new("apps", "v1", plural, singular, kind, Namespaced: true)
        {
            ShortNames = [shortName],
            HasStatusSubresource = true,
            TracksGeneration = true,
            Categories = ["all"],
        };

    // The Dapr CRDs have no status subresource; generation is tracked for every custom resource.
    private static ResourceType Dapr(string plural, string singular, string kind) =>
        new("dapr.io", "v1alpha1", plural, singular, kind, Namespaced: true) { IsCustomResource = true, TracksGeneration = true };
}
