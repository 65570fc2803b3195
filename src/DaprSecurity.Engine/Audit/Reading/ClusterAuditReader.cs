using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Dapr;
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
    private readonly List<V1Pod> _sidecarPods = new();
    private string? _podsError;

    public ClusterAuditReader(ClusterConnection cluster, IEngineHost host)
    {
        _cluster = cluster;
        _host = host;
    }

    /// <summary>The selected namespaces; patterns that select nothing are problems.</summary>
    public async Task<IReadOnlyList<string>> SelectNamespacesAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        try
        {
            var selection = await new NamespaceSelector(_cluster).SelectAsync(patterns.ToList(), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Test-DaprMtls's checks and the trust bundle's certificates, read first so the mTLS results come out before the
    /// big lists; the two checks of the running sidecars wait for the pods (<see cref="WithSidecars"/>).
    /// </summary>
    public async Task<ClusterEvidence> ReadEvidenceAsync(string? controlPlaneNamespace, CancellationToken cancellationToken)
    {
        try
        {
            // The certificates come from the trust bundle the checks read: it is read once.
            var (report, bundle, mtls) = await MtlsService.TestWithBundleAsync(_cluster, controlPlaneNamespace, warningDays: 30, listSidecarPods: false, new NoHostLines(_host, cancellationToken), cancellationToken).ConfigureAwait(false);
            IReadOnlyList<DaprCertificateInfo> certificates;
            try
            {
                certificates = bundle.Secret is null ? Array.Empty<DaprCertificateInfo>() : MtlsService.Certificates(bundle, report.Namespace, _host.Clock.GetUtcNow().UtcDateTime);
            }
            catch (DaprSecurityException e)
            {
                _host.WriteVerbose($"Certificates not read for the report: {e.Message}");
                certificates = Array.Empty<DaprCertificateInfo>();
            }

            return new ClusterEvidence(_cluster.ContextName, report.Namespace, report.Checks) { Certificates = certificates, Mtls = mtls };
        }
        catch (DaprSecurityException e)
        {
            _host.WriteError(e);
            return new ClusterEvidence(_cluster.ContextName, controlPlaneNamespace, null) { MtlsError = e.Message };
        }
    }

    /// <summary>
    /// Every kind the rules read, for the selected namespaces (and the control plane's): one snapshot a namespace,
    /// handed out as soon as every list has passed that namespace, while the lists of later namespaces are still
    /// being read. The lists run together, one paged list a kind across the cluster (see <see cref="NamespaceList"/>).
    /// </summary>
    public async IAsyncEnumerable<AuditSnapshot> ReadByNamespaceAsync(IReadOnlyList<string> namespaces, ClusterEvidence evidence, int maxTokenAgeDays, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var wanted = namespaces.Append(evidence.ControlPlaneNamespace).OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(NamespaceList.Key, StringComparer.Ordinal).ToList();
        var selected = wanted.ToHashSet(StringComparer.Ordinal);
        using var changed = new SemaphoreSlim(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        NamespaceList<T> NewList<T>(Func<T, string> namespaceOf) => new(selected, namespaceOf, changed);

        var deployments = NewList<Workload>(w => w.Namespace);
        var statefulSets = NewList<Workload>(w => w.Namespace);
        var daemonSets = NewList<Workload>(w => w.Namespace);
        var pods = NewList<V1Pod>(p => p.Namespace());
        var services = NewList<V1Service>(s => s.Namespace());
        var ingresses = NewList<V1Ingress>(i => i.Namespace());
        var secrets = NewList<AuditSecret>(s => s.Resource.Namespace);
        var components = NewList<JsonObject>(j => JsonText.Of(j, "metadata", "namespace") ?? "");
        var configurations = NewList<JsonObject>(j => JsonText.Of(j, "metadata", "namespace") ?? "");
        var catalog = new WorkloadCatalog(_cluster);
        var lists = new NamespaceList[] { deployments, statefulSets, daemonSets, pods, services, ingresses, secrets, components, configurations };
        var reads = new[]
        {
            ReadAsync(deployments, wanted, "deployments", (ns, add, ct) => IntoAsync(catalog.PagesAsync(DaprWorkloadKind.Deployment, ns, ct), add), stop.Token),
            ReadAsync(statefulSets, wanted, "statefulsets", (ns, add, ct) => IntoAsync(catalog.PagesAsync(DaprWorkloadKind.StatefulSet, ns, ct), add), stop.Token),
            ReadAsync(daemonSets, wanted, "daemonsets", (ns, add, ct) => IntoAsync(catalog.PagesAsync(DaprWorkloadKind.DaemonSet, ns, ct), add), stop.Token),
            ReadAsync(pods, wanted, "pods", (ns, add, ct) => Pages(ns, "pods", (c, token, t) => ns is null ? c.CoreV1.ListPodForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.CoreV1.ListNamespacedPodAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t), p => p.Items, p => p.Metadata?.ContinueProperty, add, ct), stop.Token),
            ReadAsync(services, wanted, "services", (ns, add, ct) => Pages(ns, "services", (c, token, t) => ns is null ? c.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.CoreV1.ListNamespacedServiceAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t), p => p.Items, p => p.Metadata?.ContinueProperty, add, ct), stop.Token),
            ReadAsync(ingresses, wanted, "ingresses", (ns, add, ct) => OptionalAsync(Pages(ns, "ingresses.networking.k8s.io", (c, token, t) => ns is null ? c.NetworkingV1.ListIngressForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.NetworkingV1.ListNamespacedIngressAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t), p => p.Items, p => p.Metadata?.ContinueProperty, add, ct)), stop.Token),
            // Keep names, key names and token facts only; each page (with every value) is dropped as it arrives.
            ReadAsync(secrets, wanted, "secrets", (ns, add, ct) => Pages(ns, "secrets", (c, token, t) => ns is null ? c.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t) : c.CoreV1.ListNamespacedSecretAsync(ns, continueParameter: token, limit: Paging.PageSize, cancellationToken: t), p => p.Items.Select(Reduce), p => p.Metadata?.ContinueProperty, add, ct), stop.Token),
            ReadAsync(components, wanted, "components", (ns, add, ct) => CustomPages(ns, DaprResource.Component.Plural, add, ct), stop.Token),
            ReadAsync(configurations, wanted, "configurations", (ns, add, ct) => CustomPages(ns, DaprResource.Configuration.Plural, add, ct), stop.Token),
        };

        try
        {
            var next = 0;
            while (next < wanted.Count)
            {
                var ready = wanted.Skip(next).TakeWhile(ns => lists.All(l => l.HasPassed(ns))).ToList();
                if (ready.Count == 0)
                {
                    await changed.WaitAsync(stop.Token).ConfigureAwait(false);
                    continue;
                }

                foreach (var ns in ready)
                {
                    var nsPods = pods.Take(ns) ?? Array.Empty<V1Pod>();
                    _sidecarPods.AddRange(nsPods.Where(p => p.Labels()?.TryGetValue(DaprAnnotations.SidecarInjectedLabel, out var injected) == true && injected == "true"));
                    var workloads = new[] { deployments, statefulSets, daemonSets }.SelectMany(l => l.Take(ns) ?? Array.Empty<Workload>()).OrderBy(w => w.Kind).ThenBy(w => w.Name, StringComparer.Ordinal);
                    yield return new AuditSnapshot
                    {
                        Workloads = workloads
                            .Select(w => AuditWorkload.From(w, null, nsPods.Where(w.Selects).ToList()))
                            .Concat(nsPods.Where(p => p.Metadata.OwnerReferences is not { Count: > 0 }).Select(p => AuditWorkload.From(p, null, running: true)))
                            .ToList(),
                        Components = Documents("Component", components.Take(ns)),
                        Configurations = Documents("Configuration", configurations.Take(ns)),
                        Services = (services.Take(ns) ?? Array.Empty<V1Service>()).Select(s => (AuditWorkload.ResourceOf("Service", s.Metadata, null), s)).ToList(),
                        Ingresses = (ingresses.Take(ns) ?? Array.Empty<V1Ingress>()).Select(i => (AuditWorkload.ResourceOf("Ingress", i.Metadata, null), i)).ToList(),
                        Secrets = secrets.Take(ns) ?? Array.Empty<AuditSecret>(),
                        Cluster = evidence with { SecretsError = secrets.Error, PodsError = pods.Error },
                        MaxTokenAgeDays = maxTokenAgeDays,
                        Now = _host.Clock.GetUtcNow(),
                    };
                }

                next += ready.Count;
            }

            // Every list is complete here; this surfaces what no list could turn into a problem.
            await Task.WhenAll(reads).ConfigureAwait(false);
            _podsError = pods.Error;
        }
        finally
        {
            await NamespaceList.StopAsync(stop, reads).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The evidence with the mTLS checks made again with the Dapr pods of the audited namespaces (the control
    /// plane's included), once <see cref="ReadByNamespaceAsync"/> has read them all: Test-DaprMtls looks at every
    /// namespace; an audit at the ones it audits, with the pods it lists anyway.
    /// </summary>
    public ClusterEvidence WithSidecars(ClusterEvidence evidence)
        => evidence.Mtls is { } mtls
            ? evidence with { MtlsChecks = MtlsChecks.Run(mtls with { DaprPods = _podsError is null ? _sidecarPods : null, DaprPodsError = _podsError }) }
            : evidence;

    /// <summary>The problems recorded so far, from <paramref name="seen"/> on.</summary>
    public IReadOnlyList<ReadProblem> ProblemsFrom(int seen)
    {
        lock (_problems)
        {
            return _problems.Skip(seen).ToList();
        }
    }

    /// <summary>
    /// One list across the cluster (or in the only namespace) into <paramref name="list"/>; when that is forbidden,
    /// one list per namespace. A kind that cannot be read is a problem, and the list completes with the error.
    /// </summary>
    private async Task ReadAsync<T>(NamespaceList<T> list, IReadOnlyList<string> namespaces, string what, Func<string?, Action<IEnumerable<T>>, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            if (namespaces.Count == 1)
            {
                await read(namespaces[0], page => list.Add(page, ordered: false), cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await read(null, page => list.Add(page, ordered: true), cancellationToken).ConfigureAwait(false);
            }
            catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
            {
                _host.WriteVerbose($"Listing {what} across the cluster is forbidden; listing them per namespace.");
                await Task.WhenAll(namespaces.Select(ns => read(ns, page => list.Add(page, ordered: false), cancellationToken))).ConfigureAwait(false);
            }
        }
        catch (DaprSecurityException e)
        {
            error = e.Message;
            lock (_problems)
            {
                _problems.Add(new ReadProblem(new AuditResource("List", "", what), e));
            }
        }
        catch (OperationCanceledException)
        {
            error = $"{what}: the audit was stopped";
        }
        catch (Exception e)
        {
            error = e.Message;
            throw;
        }
        finally
        {
            list.Complete(error);
        }
    }

    /// <summary>Every page of one list call, each handed to <paramref name="add"/> as it arrives.</summary>
    private Task Pages<TPage, T>(string? ns, string plural, Func<IKubernetes, string?, CancellationToken, Task<TPage>> page, Func<TPage, IEnumerable<T>?> items, Func<TPage, string?> next, Action<IEnumerable<T>> add, CancellationToken cancellationToken)
        => Paging.ListAllAsync(
            (token, ct) => _cluster.CallAsync((c, t) => page(c, token, t), $"{plural} in {(ns is null ? "all namespaces" : "namespace " + ns)}", ct),
            p =>
            {
                add((items(p) ?? Enumerable.Empty<T>()).ToList());
                return Array.Empty<T>();
            },
            next,
            cancellationToken);

    /// <summary>Every page of <paramref name="pages"/>, each handed to <paramref name="add"/> as it arrives.</summary>
    private static async Task IntoAsync<T>(IAsyncEnumerable<IList<T>> pages, Action<IEnumerable<T>> add)
    {
        await foreach (var page in pages.ConfigureAwait(false))
        {
            add(page);
        }
    }

    private Task CustomPages(string? ns, string plural, Action<IEnumerable<JsonObject>> add, CancellationToken cancellationToken)
        => Pages<JsonObject, JsonObject>(
            ns,
            $"{plural}.{DaprResource.Group}",
            (c, token, t) => ns is null
                ? c.CustomObjects.ListClusterCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t)
                : c.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, ns, plural, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
            p => (p["items"] as JsonArray)?.OfType<JsonObject>(),
            p => JsonText.Of(p, "metadata", "continue"),
            add,
            cancellationToken);

    /// <summary>A kind the cluster may not serve at all (Ingress on a minimal API server): 404 reads as none.</summary>
    private static async Task OptionalAsync(Task list)
    {
        try
        {
            await list.ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiNotFound))
        {
        }
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

    private static IReadOnlyList<AuditDocument> Documents(string kind, IReadOnlyList<JsonObject>? items)
        => (items ?? Array.Empty<JsonObject>()).Select(json => new AuditDocument(
            new AuditResource(kind, JsonText.Of(json, "metadata", "namespace") ?? "", JsonText.Of(json, "metadata", "name") ?? "")
            {
                Annotations = (JsonText.At(json, "metadata", "annotations") as JsonObject)?.ToDictionary(p => p.Key, p => JsonText.Of(p.Value) ?? "", StringComparer.Ordinal) ?? new Dictionary<string, string>(),
            },
            json)).ToList();

    /// <summary>The mTLS checks run for the audit (and stopped with it), whose own CI lines come from the audit's results, not from Test-DaprMtls.</summary>
    private sealed class NoHostLines : IEngineHost
    {
        private readonly IEngineHost _inner;

        public NoHostLines(IEngineHost inner, CancellationToken cancellationToken)
        {
            _inner = inner;
            CancellationToken = cancellationToken;
        }

        public CancellationToken CancellationToken { get; }

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
