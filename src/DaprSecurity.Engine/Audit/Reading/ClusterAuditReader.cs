using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Reading;

/// <summary>
/// Reads a cluster into an audit snapshot with one paged list per resource kind across the cluster, filtered here to
/// the selected namespaces (one namespaced list when only one is selected). A user who may not list cluster-wide
/// gets one list per selected namespace instead. Secrets are reduced to names, key names and token facts as they
/// arrive. A list that cannot be read at all is a problem (an Error result), never an empty pass.
/// </summary>
internal sealed class ClusterAuditReader
{
    private readonly ClusterConnection _cluster;
    private readonly IEngineHost _host;
    private readonly List<ReadProblem> _problems = new();

    public ClusterAuditReader(ClusterConnection cluster, IEngineHost host)
    {
        _cluster = cluster;
        _host = host;
    }

    public IReadOnlyList<ReadProblem> Problems => _problems;

    /// <summary>The selected namespaces; patterns that select nothing are problems.</summary>
    public IReadOnlyList<string> SelectNamespaces(IReadOnlyList<string> patterns)
    {
        try
        {
            var selection = Wait(new NamespaceSelector(_cluster).SelectAsync(patterns.ToList(), _host.CancellationToken));
            foreach (var error in selection.Errors)
            {
                _problems.Add(new ReadProblem(new AuditResource("Namespace", "", error.TargetObject as string ?? ""), error));
            }

            var names = selection.Namespaces.Select(n => n.Name()).ToList();
            if (names.Count == 0 && selection.Errors.Count == 0)
            {
                _problems.Add(new ReadProblem(new AuditResource("Namespace", "", string.Join(",", patterns)), DaprErrors.AuditNothingSelected.Raise($"No namespace matches {string.Join(", ", patterns)}.", string.Join(",", patterns))));
            }

            return names;
        }
        catch (DaprSecurityException e)
        {
            _problems.Add(new ReadProblem(new AuditResource("Cluster", "", _cluster.ContextName), e));
            return Array.Empty<string>();
        }
    }

    /// <summary>Test-DaprMtls's checks and the trust bundle's certificates, read first so the mTLS results come out before the big lists.</summary>
    public ClusterEvidence ReadEvidence(string? controlPlaneNamespace)
    {
        var mtls = new MtlsService();
        try
        {
            var report = Wait(mtls.TestAsync(_cluster, controlPlaneNamespace, warningDays: 30, new NoHostLines(_host)));
            IReadOnlyList<DaprCertificateInfo> certificates;
            try
            {
                certificates = Wait(mtls.GetCertificatesAsync(_cluster, report.Namespace, _host));
            }
            catch (DaprSecurityException e)
            {
                _host.WriteVerbose($"Certificates not read for the report: {e.Message}");
                certificates = Array.Empty<DaprCertificateInfo>();
            }

            return new ClusterEvidence(_cluster.ContextName, report.Namespace, report.Checks) { Certificates = certificates };
        }
        catch (DaprSecurityException e)
        {
            _host.WriteError(e);
            return new ClusterEvidence(_cluster.ContextName, controlPlaneNamespace, null) { MtlsError = e.Message };
        }
    }

    /// <summary>Every kind the rules read, for the selected namespaces (and the control plane's).</summary>
    public AuditSnapshot ReadSnapshot(IReadOnlyList<string> namespaces, ClusterEvidence evidence, int maxTokenAgeDays)
    {
        var wanted = namespaces.Append(evidence.ControlPlaneNamespace).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var cancel = _host.CancellationToken;
        var catalog = new WorkloadCatalog(_cluster);
        var workloads = ListAsync(wanted, "workloads", ns => catalog.ListAsync(ns, daprEnabledOnly: false, cancel), w => w.Namespace);
        var pods = ListAsync(wanted, "pods", ns => Paged<V1PodList, V1Pod>(ns, "pods",
            (c, token, t) => ns is null ? c.CoreV1.ListPodForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.CoreV1.ListNamespacedPodAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
            p => p.Items, p => p.Metadata?.ContinueProperty), p => p.Namespace());
        var services = ListAsync(wanted, "services", ns => Paged<V1ServiceList, V1Service>(ns, "services",
            (c, token, t) => ns is null ? c.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.CoreV1.ListNamespacedServiceAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
            p => p.Items, p => p.Metadata?.ContinueProperty), s => s.Namespace());
        var ingresses = ListAsync(wanted, "ingresses", ns => OptionalAsync(Paged<V1IngressList, V1Ingress>(ns, "ingresses.networking.k8s.io",
            (c, token, t) => ns is null ? c.NetworkingV1.ListIngressForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.NetworkingV1.ListNamespacedIngressAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
            p => p.Items, p => p.Metadata?.ContinueProperty)), i => i.Namespace());
        var secrets = ListAsync(wanted, "secrets", ns => SecretsAsync(ns), s => s.Resource.Namespace);
        var components = ListAsync(wanted, "components", ns => CustomAsync(ns, DaprResource.Component.Plural), j => JsonText.Of(j, "metadata", "namespace") ?? "");
        var configurations = ListAsync(wanted, "configurations", ns => CustomAsync(ns, DaprResource.Configuration.Plural), j => JsonText.Of(j, "metadata", "namespace") ?? "");
        Task.WhenAll(workloads, pods, services, ingresses, secrets, components, configurations).GetAwaiter().GetResult();

        var podsByNamespace = (pods.Result ?? Array.Empty<V1Pod>()).ToLookup(p => p.Namespace(), StringComparer.Ordinal);
        return new AuditSnapshot
        {
            Workloads = (workloads.Result ?? Array.Empty<Workload>())
                .Select(w => AuditWorkload.From(w, null, podsByNamespace[w.Namespace].Where(w.Selects).ToList()))
                .Concat(podsByNamespace.SelectMany(g => g).Where(p => p.Metadata.OwnerReferences is not { Count: > 0 }).Select(p => AuditWorkload.From(p, null, running: true)))
                .ToList(),
            Components = Documents("Component", components.Result),
            Configurations = Documents("Configuration", configurations.Result),
            Services = (services.Result ?? Array.Empty<V1Service>()).Select(s => (AuditWorkload.ResourceOf("Service", s.Metadata, null), s)).ToList(),
            Ingresses = (ingresses.Result ?? Array.Empty<V1Ingress>()).Select(i => (AuditWorkload.ResourceOf("Ingress", i.Metadata, null), i)).ToList(),
            Secrets = secrets.Result ?? Array.Empty<AuditSecret>(),
            Cluster = evidence with
            {
                SecretsError = secrets.Result is null ? _problems.LastOrDefault(p => p.Resource.Name == "secrets")?.Error?.Message ?? "secrets could not be listed" : null,
                PodsError = pods.Result is null ? "pods could not be listed" : null,
            },
            MaxTokenAgeDays = maxTokenAgeDays,
        };
    }

    /// <summary>
    /// One list across the cluster (or in the only namespace), filtered to <paramref name="namespaces"/>; when that is
    /// forbidden, one list per namespace. Null, with a problem recorded, when the kind cannot be read.
    /// </summary>
    private async Task<IReadOnlyList<T>?> ListAsync<T>(IReadOnlyList<string> namespaces, string what, Func<string?, Task<IReadOnlyList<T>>> list, Func<T, string> namespaceOf)
    {
        var wanted = namespaces.ToHashSet(StringComparer.Ordinal);
        try
        {
            if (namespaces.Count == 1)
            {
                return await list(namespaces[0]).ConfigureAwait(false);
            }

            try
            {
                return (await list(null).ConfigureAwait(false)).Where(i => wanted.Contains(namespaceOf(i))).ToList();
            }
            catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
            {
                _host.WriteVerbose($"Listing {what} across the cluster is forbidden; listing them per namespace.");
                var perNamespace = await Task.WhenAll(namespaces.Select(list)).ConfigureAwait(false);
                return perNamespace.SelectMany(l => l).ToList();
            }
        }
        catch (DaprSecurityException e)
        {
            lock (_problems)
            {
                _problems.Add(new ReadProblem(new AuditResource("List", "", what), e));
            }

            return null;
        }
    }

    private Task<IReadOnlyList<TItem>> Paged<TPage, TItem>(string? ns, string plural, Func<IKubernetes, string?, CancellationToken, Task<TPage>> page, Func<TPage, IList<TItem>?> items, Func<TPage, string?> next)
        => Paging.ListAllAsync((token, ct) => _cluster.CallAsync((c, t) => page(c, token, t), $"{plural} in {(ns is null ? "all namespaces" : "namespace " + ns)}", ct), items, next, _host.CancellationToken);

    /// <summary>A kind the cluster may not serve at all (Ingress on a minimal API server): 404 reads as none.</summary>
    private static async Task<IReadOnlyList<T>> OptionalAsync<T>(Task<IReadOnlyList<T>> list)
    {
        try
        {
            return await list.ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiNotFound))
        {
            return Array.Empty<T>();
        }
    }

    private async Task<IReadOnlyList<AuditSecret>> SecretsAsync(string? ns)
    {
        var secrets = new List<AuditSecret>();
        await Paging.ListAllAsync(
            (token, ct) => _cluster.CallAsync(
                (c, t) => ns is null ? c.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.CoreV1.ListNamespacedSecretAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
                $"secrets in {(ns is null ? "all namespaces" : "namespace " + ns)}",
                ct),
            page =>
            {
                // Keep names, key names and token facts only; the page (with every value) is dropped right here.
                secrets.AddRange(page.Items.Select(Reduce));
                return Array.Empty<V1Secret>();
            },
            page => page.Metadata?.ContinueProperty,
            _host.CancellationToken).ConfigureAwait(false);
        return secrets;
    }

    private static AuditSecret Reduce(V1Secret secret)
    {
        var token = TokenSecretMetadata.Token(secret);
        return new AuditSecret(
            AuditWorkload.ResourceOf("Secret", secret.Metadata, null),
            (secret.Data?.Keys ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal),
            TokenSecretMetadata.UpdatedAt(secret),
            token is null ? null : TokenSecretMetadata.Problem(token));
    }

    private async Task<IReadOnlyList<JsonObject>> CustomAsync(string? ns, string plural)
        => await Paging.ListAllAsync(
            (token, ct) => _cluster.CallAsync(
                (c, t) => ns is null
                    ? c.CustomObjects.ListClusterCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t)
                    : c.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, ns, plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
                $"{plural}.{DaprResource.Group} in {(ns is null ? "all namespaces" : "namespace " + ns)}",
                ct),
            page => (page["items"] as JsonArray)?.OfType<JsonObject>().ToList(),
            page => JsonText.Of(page, "metadata", "continue"),
            _host.CancellationToken).ConfigureAwait(false);

    private static IReadOnlyList<AuditDocument> Documents(string kind, IReadOnlyList<JsonObject>? items)
        => (items ?? Array.Empty<JsonObject>()).Select(json => new AuditDocument(
            new AuditResource(kind, JsonText.Of(json, "metadata", "namespace") ?? "", JsonText.Of(json, "metadata", "name") ?? "")
            {
                Annotations = (JsonText.At(json, "metadata", "annotations") as JsonObject)?.ToDictionary(p => p.Key, p => JsonText.Of(p.Value) ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>(),
            },
            json)).ToList();

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>The mTLS checks run for the audit, whose own CI lines come from the audit's results, not from Test-DaprMtls.</summary>
    private sealed class NoHostLines : IEngineHost
    {
        private readonly IEngineHost _inner;

        public NoHostLines(IEngineHost inner) => _inner = inner;

        public CancellationToken CancellationToken => _inner.CancellationToken;

        public TimeProvider Clock => _inner.Clock;

        public WorkLedger Work => _inner.Work;

        public void WriteVerbose(string message) => _inner.WriteVerbose(message);

        public void WriteDebug(string message) => _inner.WriteDebug(message);

        public void WriteWarning(string message) => _inner.WriteWarning(message);

        public void WriteHostLine(string message)
        {
        }

        public void WriteError(DaprSecurityException error) => _inner.WriteError(error);

        public void WriteProgress(ProgressUpdate progress) => _inner.WriteProgress(progress);

        public bool ShouldProcess(string target, string action) => _inner.ShouldProcess(target, action);
    }
}
