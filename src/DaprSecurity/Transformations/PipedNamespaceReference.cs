namespace DaprSecurity.Transformations;

/// <summary>
/// A namespace piped by value as kubectl hands it over (a Namespace item of kubectl get ns -o json | ConvertFrom-Json,
/// or a 'namespace/shop' string of kubectl get ns -o name), for the hidden -PipedNamespaceItem of every cluster cmdlet.
/// It has no public constructor, so PowerShell converts nothing else to it: only <see cref="PipedNamespaceTransformationAttribute"/> makes one.
/// </summary>
public sealed class PipedNamespaceReference
{
    internal PipedNamespaceReference(string name) => Name = name;

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    public override string ToString() => $"namespace/{Name}";
}
