using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Model;

/// <summary>
/// Everything one audit looks at, read once from a cluster or from manifest files; the rules are functions of it.
/// For files, <see cref="Cluster"/> is null and rules that need the live cluster are skipped.
/// </summary>
internal sealed record AuditSnapshot
{
    public IReadOnlyList<AuditWorkload> Workloads { get; init; } = Array.Empty<AuditWorkload>();

    public IReadOnlyList<AuditDocument> Components { get; init; } = Array.Empty<AuditDocument>();

    public IReadOnlyList<AuditDocument> Configurations { get; init; } = Array.Empty<AuditDocument>();

    public IReadOnlyList<(AuditResource Resource, V1Service Service)> Services { get; init; } = Array.Empty<(AuditResource, V1Service)>();

    public IReadOnlyList<(AuditResource Resource, V1Ingress Ingress)> Ingresses { get; init; } = Array.Empty<(AuditResource, V1Ingress)>();

    public IReadOnlyList<AuditSecret> Secrets { get; init; } = Array.Empty<AuditSecret>();

    /// <summary>What only a live cluster tells; null for files.</summary>
    public ClusterEvidence? Cluster { get; init; }

    /// <summary>When the audit runs (UTC), for ages and expiry.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>DAPR-TOKEN-003's threshold.</summary>
    public int MaxTokenAgeDays { get; init; } = 90;

    /// <summary>The namespace's Configuration of that name, or null.</summary>
    public AuditDocument? Configuration(string @namespace, string? name)
        => name is null ? null : Configurations.FirstOrDefault(c => c.Resource.Namespace == @namespace && c.Resource.Name == name);

    public AuditSecret? Secret(string @namespace, string name)
        => Secrets.FirstOrDefault(s => s.Resource.Namespace == @namespace && s.Resource.Name == name);
}

/// <summary>The live cluster's side of a snapshot.</summary>
/// <param name="Context">The kubeconfig context audited.</param>
/// <param name="ControlPlaneNamespace">Where Dapr's control plane runs; null when it could not be found (<see cref="MtlsError"/>).</param>
/// <param name="MtlsChecks">Test-DaprMtls's checks; null when they could not be run (<see cref="MtlsError"/>).</param>
internal sealed record ClusterEvidence(string Context, string? ControlPlaneNamespace, IReadOnlyList<DaprMtlsCheck>? MtlsChecks)
{
    public string? MtlsError { get; init; }

    /// <summary>Why Secrets could not be listed (secret rules are then errors, not failures); null when they were.</summary>
    public string? SecretsError { get; init; }

    /// <summary>Why Pods could not be listed; null when they were.</summary>
    public string? PodsError { get; init; }

    /// <summary>The trust bundle's root and issuer certificates, for reports.</summary>
    public IReadOnlyList<DaprCertificateInfo> Certificates { get; init; } = Array.Empty<DaprCertificateInfo>();
}
