using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
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

    public IEnumerable<DaprNamespaceInfo> GetNamespaces(IClusterConnection connection, IReadOnlyList<string> names, IEngineHost host)
    {
        var cluster = ClusterConnection.From(connection);
        var selected = new NamespaceSelector(cluster).SelectAsync(names, host).GetAwaiter().GetResult();
        var namespaces = selected.Select(ns => ns.Name()).ToList();
        var workloads = new WorkloadCatalog(cluster).ListInNamespacesAsync(namespaces, daprEnabledOnly: true, host.CancellationToken).GetAwaiter().GetResult().ToLookup(w => w.Namespace);
        var (app, api) = (TokenKinds.DefaultSecretName(DaprTokenKind.App), TokenKinds.DefaultSecretName(DaprTokenKind.Api));
        var secrets = TokenSecretIndex.LoadAsync(cluster, new[] { app, api }, namespaces, includeManaged: false, host.CancellationToken).GetAwaiter().GetResult();
        return selected.Select(ns => new DaprNamespaceInfo
        {
            Name = ns.Name(),
            Status = ns.Status?.Phase ?? "Active",
            DaprWorkloads = workloads[ns.Name()].Count(),
            AppTokenSecret = secrets.Find(ns.Name(), app) is not null,
            ApiTokenSecret = secrets.Find(ns.Name(), api) is not null,
        }).ToList();
    }

    public IEnumerable<DaprWorkloadInfo> GetWorkloads(IClusterConnection connection, WorkloadSelection selection, IEngineHost host)
    {
        var cluster = ClusterConnection.From(connection);
        var workloads = WorkloadSelector.ResolveAsync(cluster, selection, host, host.CancellationToken).GetAwaiter().GetResult();
        var namespaces = workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var secrets = TokenSecretIndex.LoadAsync(cluster, workloads.SelectMany(w => TokenReferences.Of(w).Select(r => r.Secret)), namespaces, includeManaged: false, host.CancellationToken)
            .GetAwaiter().GetResult();
        var pods = (namespaces.Count == 0 ? Array.Empty<V1Pod>()
            : new WorkloadCatalog(cluster).ListDaprPodsAsync(namespaces.Count == 1 ? namespaces[0] : null, host.CancellationToken).GetAwaiter().GetResult())
            .ToLookup(p => p.Namespace());
        return workloads.Select(w => WorkloadInfos.From(w, WorkloadInfos.IsTokenStale(w, secrets, pods[w.Namespace]))).ToList();
    }

    public IEnumerable<DaprWorkloadInfo> SetSidecarAnnotations(IClusterConnection connection, SidecarAnnotationRequest request, IEngineHost host)
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
        var workloads = WorkloadSelector.ResolveAsync(cluster, request.Selection, host, host.CancellationToken).GetAwaiter().GetResult();
        var missing = MissingSecrets(cluster, request, workloads, host);
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
        var attempts = BoundedParallel.Stream(pending, PatchConcurrency, (p, ct) => Attempt<Workload, Workload>.RunAsync(p.Workload, () => PatchAsync(cluster, p.Workload, p.Patch, request, ct)), host.CancellationToken);
        foreach (var attempt in attempts)
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

    /// <summary>Per namespace, the requested token secrets that do not exist there (empty with Force).</summary>
    private static Dictionary<string, List<string>> MissingSecrets(ClusterConnection cluster, SidecarAnnotationRequest request, IReadOnlyList<Workload> workloads, IEngineHost host)
    {
        var names = new[] { request.AppTokenSecret, request.ApiTokenSecret }.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct().ToList();
        if (request.Force || names.Count == 0)
        {
            return new Dictionary<string, List<string>>();
        }

        var namespaces = workloads.Select(w => w.Namespace).Distinct(StringComparer.Ordinal).ToList();
        var secrets = TokenSecretIndex.LoadAsync(cluster, names, namespaces, includeManaged: false, host.CancellationToken).GetAwaiter().GetResult();
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
