namespace DaprSecurity.Engine.Audit.Model;

/// <summary>
/// One audited object: its identity, the annotations on its own metadata (where suppressions live) and, for
/// manifests, where it sits in its file.
/// </summary>
internal sealed record AuditResource(string Kind, string Namespace, string Name)
{
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Null for an object read from a cluster.</summary>
    public ManifestLocation? Source { get; init; }

    /// <summary>"Deployment shop/orders" (just the name when the manifest sets no namespace).</summary>
    public string DisplayName => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
