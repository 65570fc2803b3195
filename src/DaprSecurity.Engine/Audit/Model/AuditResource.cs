namespace DaprSecurity.Engine.Audit.Model;

/// <summary>
/// One audited object: its identity, the annotations on its own metadata (where suppressions live) and, for
/// manifests, where it sits in its file.
/// </summary>
internal sealed record AuditResource(string Kind, string Namespace, string Name)
{
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the annotations holding daprsecurity.io/ignore are in a manifest (the object's, or its pod template's).</summary>
    public IReadOnlyList<string> AnnotationsAt { get; init; } = new[] { "metadata", "annotations" };

    /// <summary>Null for an object read from a cluster.</summary>
    public ManifestLocation? Source { get; init; }

    /// <summary>"Deployment shop/orders" (just the name when the manifest sets no namespace).</summary>
    public string DisplayName => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
