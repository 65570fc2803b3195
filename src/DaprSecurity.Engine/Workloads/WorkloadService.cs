using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>The engine's <see cref="IWorkloadService"/>: namespaces and Dapr workloads, with a fixed number of list calls per command.</summary>
public sealed class WorkloadService : IWorkloadService
{
    private const int PatchConcurrency = 8;

    /// <summary>Listen addresses that expose the Dapr API to the pod network instead of only to the pod.</summary>
    private static readonly string[] s_openAddresses = { "0.0.0.0", "[::]", "::" };

    /// <summary>
    /// Each selected namespace as soon as every workload list has passed it (see <see cref="NamespaceWorkloads"/>). For
    /// patterns that may select many, the workload lists and the default token secrets' lists (one a name) start with
    /// the namespace list; the secrets are awaited before the first namespace.
    /// </summary>
    public async IAsyncEnumerable<DaprNamespaceInfo> GetNamespacesAsync(IClusterConnection connection, IReadOnlyList<string> names, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var selecting = new NamespaceSelector(cluster).SelectAsync(names, host, cancellationToken);
        if (!NamespaceSelector.MaySelectMany(names))
        {
            await selecting.ConfigureAwait(false); // one namespace: read alone, once it is known
        }

        var namespaces = NamesAsync(selecting);
        var (app, api) = (TokenKinds.DefaultSecretName(DaprTokenKind.App), TokenKinds.DefaultSecretName(DaprTokenKind.Api));
        using var stopSecrets = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loading = TokenSecretIndex.LoadAsync(cluster, new[] { app, api }, namespaces, includeManaged: false, stopSecrets.Token);
        Dictionary<string, string>? status = null;
        try
        {
            await foreach (var (ns, workloads, _) in NamespaceWorkloads.ReadAsync(cluster, namespaces, withPods: false, cancellationToken).ConfigureAwait(false))
            {
                var secrets = await loading.ConfigureAwait(false);
                status ??= (await selecting.ConfigureAwait(false)).ToDictionary(n => n.Name(), n => n.Status?.Phase ?? "Active", StringComparer.Ordinal);
                yield return new DaprNamespaceInfo
                {
                    Name = ns,
                    Status = status[ns],
                    DaprWorkloads = workloads.Count(w => w.IsDaprEnabled),
                    AppTokenSecret = secrets.Find(ns, app) is not null,
                    ApiTokenSecret = secrets.Find(ns, api) is not null,
                };
            }
        }
        finally
        {
            // Not awaited when the workloads failed or the caller stopped early: stop it and observe how it ended.
            await NamespaceList.StopAsync(stopSecrets, new[] { loading }).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<DaprWorkloadInfo> GetWorkloadsAsync(IClusterConnection connection, WorkloadSelection selection, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        if (selection.Workloads.Count == 0 && selection.Names is not { Count: > 1 } && NamespaceSelector.MaySelectMany(selection.Namespaces))
        {
            // Same objects in the same order (namespace, kind, name), each namespace written once its data is read;
            // the lists start with the namespace list.
            var selecting = OrderedAsync(WorkloadSelector.SelectNamespacesAsync(cluster, selection, host, cancellationToken));
            await foreach (var info in StreamWorkloadsAsync(cluster, selecting, selection, host, cancellationToken).ConfigureAwait(false))
            {
                yield return info;
            }

            yield break;
        }

        var selected = await WorkloadSelector.SelectNamespacesAsync(cluster, selection, host, cancellationToken).ConfigureAwait(false);

        var workloads = await WorkloadSelector.ResolveAsync(cluster, selection, selected, host, cancellationToken).ConfigureAwait(false);
        var namespaces = workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var loading = TokenSecretIndex.LoadAsync(cluster, workloads.SelectMany(w => TokenReferences.Of(w).Select(r => r.Secret)), namespaces, includeManaged: false, cancellationToken);
        var listing = namespaces.Count == 0 ? Task.FromResult<IReadOnlyList<V1Pod>>(Array.Empty<V1Pod>())
            : new WorkloadCatalog(cluster).ListDaprPodsAsync(namespaces.Count == 1 ? namespaces[0] : null, cancellationToken);
        await Task.WhenAll(loading, listing).ConfigureAwait(false);
        var secrets = await loading.ConfigureAwait(false);
        var pods = (await listing.ConfigureAwait(false)).ToLookup(p => p.Namespace());
        foreach (var workload in workloads)
        {
            yield return WorkloadInfos.From(workload, WorkloadInfos.IsTokenStale(workload, secrets, pods[workload.Namespace]));
        }
    }

    public async IAsyncEnumerable<DaprWorkloadInfo> SetSidecarAnnotationsAsync(IClusterConnection connection, SidecarAnnotationRequest request, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SidecarSettings.Validate(request);
        var changes = SidecarPatch.Describe(request);
        if (changes.Length == 0)
        {
            throw DaprErrors.SidecarSettingRequired.Raise("Nothing to change: give at least one of -AppTokenSecret, -ApiTokenSecret, -ListenAddresses, -EnableApiLogging or -MountTokenInApp.");
        }

        if (request.ListenAddresses?.Split(',').Any(a => s_openAddresses.Contains(a.Trim())) == true)
        {
            host.WriteWarning($"Listen addresses '{request.ListenAddresses}' expose the Dapr API to the pod network; only a DAPR_API_TOKEN (dapr.io/api-token-secret) then keeps other pods out.");
        }

        var cluster = ClusterConnection.From(connection);
        var workloads = await WorkloadSelector.ResolveAsync(cluster, request.Selection, host, cancellationToken).ConfigureAwait(false);
        var missing = await MissingSecretsAsync(cluster, request, workloads, cancellationToken).ConfigureAwait(false);
        var pending = new List<(Workload Workload, JsonObject Patch)>();
        foreach (var workload in workloads)
        {
            if (missing.TryGetValue(workload.Namespace, out var absent))
            {
                host.WriteError(DaprErrors.TokenSecretNotFound.Raise($"{workload.DisplayName} was not changed: secret {string.Join(" and ", absent)} does not exist in {workload.Namespace} (or has no \"token\" key), so its pods would fail with CreateContainerConfigError.",
                    workload.DisplayName,
                    recommendedAction: "Create it first (Set-DaprTokenSecret), or use -Force."));
                continue;
            }

            if (SidecarPatch.For(workload, request) is not { } patch)
            {
                host.WriteVerbose($"{workload.DisplayName} already has {changes}.");
                yield return WorkloadInfos.From(workload, tokenStale: false);
            }
            else if (host.ShouldProcess(workload.DisplayName, $"Set {changes} on the pod template (this rolls its pods)"))
            {
                pending.Add((workload, patch));
            }
        }

        var progress = new ProgressReporter(host, "Setting Dapr sidecar annotations", pending.Count);
        var changed = 0;
        var attempts = BoundedParallel.StreamAsync(pending, PatchConcurrency, (p, ct) => Attempt<Workload, Workload>.RunAsync(p.Workload, () => PatchAsync(cluster, p.Workload, p.Patch, request, ct)), cancellationToken);
        await foreach (var attempt in attempts.ConfigureAwait(false))
        {
            progress.Advance(attempt.Item.DisplayName);
            if (attempt.Error is not null)
            {
                host.WriteError(attempt.Error);
                continue;
            }

            changed++;
            host.Work.Done(attempt.Item.DisplayName);
            yield return WorkloadInfos.From(attempt.Result!, tokenStale: false);
        }

        progress.Complete();
        if (changed > 0)
        {
            host.WriteWarning($"Changed the pod template of {changed} workload(s): Kubernetes is replacing their pods now.");
        }
    }

    public IWorkloadRestarter CreateRestarter(IClusterConnection cluster, RestartOptions options, IEngineHost host)
        => new WorkloadRestarter(ClusterConnection.From(cluster), options, host);

    /// <summary>
    /// The Dapr-enabled workloads of many namespaces whose name matches the selection's one name (any without it) and
    /// whose kind it selects, a namespace at a time; the token secrets they use are read (cluster-wide, per name) when a
    /// namespace first uses them.
    /// </summary>
    private static async IAsyncEnumerable<DaprWorkloadInfo> StreamWorkloadsAsync(ClusterConnection cluster, Task<IReadOnlyList<string>> namespaces, WorkloadSelection selection, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var name = selection.Names?[0];
        var pattern = new Wildcard(name ?? "*");
        var secrets = TokenSecretIndex.Empty;
        var secretsRead = new HashSet<string>(StringComparer.Ordinal);
        var matched = false;

        // Most workloads use the default secret names: their lists start with the workload lists, so the first
        // namespace that uses them does not wait for another round trip (two requests more when none does).
        var defaults = new[] { TokenKinds.DefaultSecretName(DaprTokenKind.App), TokenKinds.DefaultSecretName(DaprTokenKind.Api) };
        using var stopDefaults = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var defaultSecrets = TokenSecretIndex.LoadAsync(cluster, defaults, namespaces, includeManaged: false, stopDefaults.Token);
        var defaultsMerged = false;
        try
        {
            await foreach (var (_, workloads, pods) in NamespaceWorkloads.ReadAsync(cluster, namespaces, withPods: true, cancellationToken).ConfigureAwait(false))
            {
                var matches = workloads.Where(w => w.IsDaprEnabled && selection.SelectsKind(w.Kind) && pattern.IsMatch(w.Name)).ToList();
                var unread = matches.SelectMany(w => TokenReferences.Of(w).Select(r => r.Secret)).Distinct(StringComparer.Ordinal).Where(secretsRead.Add).ToList();
                if (!defaultsMerged && unread.Any(defaults.Contains))
                {
                    secrets = secrets.Merge(await defaultSecrets.ConfigureAwait(false));
                    defaultsMerged = true;
                }

                if (unread.Except(defaults).ToList() is { Count: > 0 } others)
                {
                    secrets = secrets.Merge(await TokenSecretIndex.LoadAsync(cluster, others, namespaces, includeManaged: false, cancellationToken).ConfigureAwait(false));
                }

                foreach (var workload in matches)
                {
                    matched = true;
                    yield return WorkloadInfos.From(workload, WorkloadInfos.IsTokenStale(workload, secrets, pods));
                }
            }
        }
        finally
        {
            // Not needed (or the caller stopped early): stop the read and observe how it ended.
            await NamespaceList.StopAsync(stopDefaults, new[] { defaultSecrets }).ConfigureAwait(false);
        }

        if (!matched && name is not null && (await namespaces.ConfigureAwait(false)).Count > 0)
        {
            host.WriteError(WorkloadSelector.NothingMatches(name, selection.Kinds));
        }
    }

    private static async Task<IReadOnlyList<string>> OrderedAsync(Task<IReadOnlyList<string>> namespaces)
        => (await namespaces.ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList();

    private static async Task<IReadOnlyList<string>> NamesAsync(Task<IReadOnlyList<V1Namespace>> namespaces)
        => (await namespaces.ConfigureAwait(false)).Select(ns => ns.Name()).ToList();

    /// <summary>Per namespace, the requested token secrets that do not exist there (empty with Force).</summary>
    private static async Task<Dictionary<string, List<string>>> MissingSecretsAsync(ClusterConnection cluster, SidecarAnnotationRequest request, IReadOnlyList<Workload> workloads, CancellationToken cancellationToken)
    {
        var names = new[] { request.AppTokenSecret, request.ApiTokenSecret }.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct().ToList();
        if (request.Force || names.Count == 0)
        {
            return new Dictionary<string, List<string>>();
        }

        var namespaces = workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var secrets = await TokenSecretIndex.LoadAsync(cluster, names, namespaces, includeManaged: false, cancellationToken).ConfigureAwait(false);
        return namespaces
            .Select(ns => (Namespace: ns, Absent: names.Where(n => secrets.Find(ns, n) is not { } s || TokenSecretMetadata.Token(s) is null).ToList()))
            .Where(x => x.Absent.Count > 0)
            .ToDictionary(x => x.Namespace, x => x.Absent);
    }

    /// <summary>Applies the patch; on a conflict (the workload changed since it was read) reads it again and recomputes.</summary>
    private static Task<Workload> PatchAsync(ClusterConnection cluster, Workload workload, JsonObject patch, SidecarAnnotationRequest request, CancellationToken cancellationToken)
    {
        var catalog = new WorkloadCatalog(cluster);
        JsonObject? pending = patch;
        return ConflictRetry.RunAsync(
            async _ => pending is null ? workload : await catalog.PatchTemplateAsync(workload, pending, cancellationToken).ConfigureAwait(false),
            conflict => conflict is DaprSecurityException e && e.Is(DaprErrors.KubeApiConflict),
            async _ =>
            {
                // Changed since it was read: patch what is there now, if it still needs the change.
                workload = await catalog.GetAsync(workload.Kind, workload.Namespace, workload.Name, cancellationToken).ConfigureAwait(false);
                pending = SidecarPatch.For(workload, request);
            });
    }
}
