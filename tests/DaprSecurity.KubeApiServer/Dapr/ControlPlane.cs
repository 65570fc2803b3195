using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Dapr;

/// <summary>Where the Dapr control plane lives in the store, found the way a module would: by what is installed.</summary>
public static class ControlPlane
{
    public const string DefaultNamespace = "dapr-system";
    public const string SentryDeployment = "dapr-sentry";
    public const string InjectorDeployment = "dapr-sidecar-injector";
    public const string SystemConfiguration = "daprsystem";
    public const string TrustBundle = "dapr-trust-bundle";
    public const string DefaultVersion = "1.16.2";

    /// <summary>The namespace holding <c>dapr-sentry</c> or the <c>daprsystem</c> Configuration; <c>dapr-system</c> when neither exists.</summary>
    public static string FindNamespace(ObjectStore store) =>
        FirstNamespaceOf(store, ResourceRegistry.Deployments, SentryDeployment)
        ?? FirstNamespaceOf(store, ResourceRegistry.DaprConfigurations, SystemConfiguration)
        ?? DefaultNamespace;

    /// <summary>The Dapr version, read from the injector image tag (the injector injects its own version of daprd).</summary>
    public static string RuntimeVersion(ObjectStore store, string ns)
    {
        var injector = store.Get(ObjectKey.For(ResourceRegistry.Deployments, ns, InjectorDeployment))?.ToJsonObject();
        var image = injector?["spec"]?["template"]?["spec"]?["containers"]?[0]?.Text("image");
        var colon = image?.LastIndexOf(':') ?? -1;
        return colon > 0 ? image![(colon + 1)..] : DefaultVersion;
    }

    private static string? FirstNamespaceOf(ObjectStore store, ResourceType type, string name) =>
        store.List(type.Group, type.Plural, ns: null, (key, _) => key.Name == name).Items.FirstOrDefault()?.Key.Namespace;
}
