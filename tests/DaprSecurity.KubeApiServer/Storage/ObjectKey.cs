using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Storage;

/// <summary>Where an object lives: (group, resource, namespace, name); the namespace is empty for cluster-scoped kinds.</summary>
public readonly record struct ObjectKey(string Group, string Resource, string Namespace, string Name)
{
    public static ObjectKey For(ResourceType type, string? ns, string name) =>
        new(type.Group, type.Plural, type.Namespaced ? ns ?? "" : "", name);

    public static ObjectKey ForNamespace(string name) => For(ResourceRegistry.Namespaces, null, name);

    public override string ToString() => $"{Resource}.{Group}/{Namespace}/{Name}";
}
