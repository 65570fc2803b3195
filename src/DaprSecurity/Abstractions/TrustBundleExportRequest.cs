namespace DaprSecurity.Abstractions;

/// <summary>What Export-DaprTrustBundle was asked to do.</summary>
/// <param name="Directory">The target directory (a file-system path, already resolved); created when missing.</param>
/// <param name="IncludePrivateKey">Also write issuer.key.</param>
/// <param name="Force">Overwrite existing files.</param>
/// <param name="ControlPlaneNamespace">Null to discover it.</param>
public sealed record TrustBundleExportRequest(string Directory, bool IncludePrivateKey, bool Force, string? ControlPlaneNamespace);
