using DaprSecurity.Engine.Mtls;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Model;

/// <summary>
/// Everything one audit looks at, read once from a cluster or from manifest files; the rules are functions of it.
/// For files, <see cref="Cluster"/> is null and rules that need the live cluster are skipped.
/// </summary>
internal sealed record AuditSnapshot
{
    // Built on first use, so rules that look up one namespace's objects per component or app stay linear. An init
    // accessor drops its index, so a copy made with `with { Workloads = ... }` never answers from the old list.
    private ILookup<string, AuditWorkload>? _workloadsByNamespace;
    private ILookup<string, (AuditResource Resource, V1Service Service)>? _servicesByNamespace;
    private ILookup<string, (AuditResource Resource, V1Ingress Ingress)>? _ingressesByNamespace;
    private Dictionary<(string, string), AuditDocument>? _configurationsByName;
    private Dictionary<(string, string), AuditSecret>? _secretsByName;
    private readonly IReadOnlyList<AuditWorkload> _workloads = Array.Empty<AuditWorkload>();
    private readonly IReadOnlyList<AuditDocument> _configurations = Array.Empty<AuditDocument>();
    private readonly IReadOnlyList<(AuditResource Resource, V1Service Service)> _services = Array.Empty<(AuditResource, V1Service)>();
    private readonly IReadOnlyList<(AuditResource Resource, V1Ingress Ingress)> _ingresses = Array.Empty<(AuditResource, V1Ingress)>();
    private readonly IReadOnlyList<AuditSecret> _secrets = Array.Empty<AuditSecret>();

    public IReadOnlyList<AuditWorkload> Workloads
    {
        get => _workloads;
        init => (_workloads, _workloadsByNamespace) = (value, null);
    }

    public IReadOnlyList<AuditDocument> Components { get; init; } = Array.Empty<AuditDocument>();

    public IReadOnlyList<AuditDocument> Configurations
    {
        get => _configurations;
        init => (_configurations, _configurationsByName) = (value, null);
    }

    public IReadOnlyList<(AuditResource Resource, V1Service Service)> Services
    {
        get => _services;
        init => (_services, _servicesByNamespace) = (value, null);
    }

    public IReadOnlyList<(AuditResource Resource, V1Ingress Ingress)> Ingresses
    {
        get => _ingresses;
        init => (_ingresses, _ingressesByNamespace) = (value, null);
    }

    public IReadOnlyList<AuditSecret> Secrets
    {
        get => _secrets;
        init => (_secrets, _secretsByName) = (value, null);
    }

    /// <summary>What only a live cluster tells; null for files.</summary>
    public ClusterEvidence? Cluster { get; init; }

    /// <summary>When the audit runs (UTC), for ages and expiry: the host's clock (IEngineHost.Clock).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>DAPR-TOKEN-003's threshold.</summary>
    public int MaxTokenAgeDays { get; init; } = 90;

    /// <summary>The workloads of one namespace, in snapshot order.</summary>
    public IEnumerable<AuditWorkload> WorkloadsIn(string @namespace)
        => (_workloadsByNamespace ??= Workloads.ToLookup(w => w.Resource.Namespace, StringComparer.Ordinal))[@namespace];

    /// <summary>The Services of one namespace, in snapshot order.</summary>
    public IEnumerable<(AuditResource Resource, V1Service Service)> ServicesIn(string @namespace)
        => (_servicesByNamespace ??= Services.ToLookup(s => s.Resource.Namespace, StringComparer.Ordinal))[@namespace];

    /// <summary>The Ingresses of one namespace, in snapshot order.</summary>
    public IEnumerable<(AuditResource Resource, V1Ingress Ingress)> IngressesIn(string @namespace)
        => (_ingressesByNamespace ??= Ingresses.ToLookup(i => i.Resource.Namespace, StringComparer.Ordinal))[@namespace];

    /// <summary>The namespace's Configuration of that name (the first, if a folder holds two), or null.</summary>
    public AuditDocument? Configuration(string @namespace, string? name)
        => name is null ? null : (_configurationsByName ??= FirstByName(Configurations, c => c.Resource)).GetValueOrDefault((@namespace, name));

    /// <summary>The namespace's Secret of that name (the first, if a folder holds two), or null.</summary>
    public AuditSecret? Secret(string @namespace, string name)
        => (_secretsByName ??= FirstByName(Secrets, s => s.Resource)).GetValueOrDefault((@namespace, name));

    private static Dictionary<(string, string), T> FirstByName<T>(IReadOnlyList<T> items, Func<T, AuditResource> resource)
    {
        var byName = new Dictionary<(string, string), T>();
        foreach (var item in items)
        {
            byName.TryAdd((resource(item).Namespace, resource(item).Name), item);
        }

        return byName;
    }
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

    /// <summary>What the mTLS checks were made from (without pods), so the sidecar checks can be made once the pods are read; null when the checks could not run.</summary>
    public MtlsEvidence? Mtls { get; init; }
}
