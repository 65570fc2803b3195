namespace DaprSecurity.Abstractions;

/// <summary>A component read from a manifest file, as a piped DaprComponentScope names it: its file, namespace and name.</summary>
public sealed record ManifestComponentReference(string Path, string Namespace, string Name);
