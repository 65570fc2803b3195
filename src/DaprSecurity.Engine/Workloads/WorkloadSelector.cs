using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Resolves a <see cref="WorkloadSelection"/> to Dapr-enabled workloads with one namespace list and one workload list.
/// Each workload named one by one must exist and be Dapr-enabled; a -Name without wildcards must match somewhere.
/// Problems are written as errors for that workload or name only.
/// </summary>
public static class WorkloadSelector
{
    public static async Task<IReadOnlyList<Workload>> ResolveAsync(ClusterConnection cluster, WorkloadSelection selection, IEngineHost host, CancellationToken cancellationToken)
    {
        var namespaces = await SelectNamespacesAsync(cluster, selection, host, cancellationToken).ConfigureAwait(false);
        return await ResolveAsync(cluster, selection, namespaces, host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The namespaces -Namespace selects (none without it); patterns that select nothing are written as errors.</summary>
    public static async Task<IReadOnlyList<string>> SelectNamespacesAsync(ClusterConnection cluster, WorkloadSelection selection, IEngineHost host, CancellationToken cancellationToken)
    {
        if (selection.Namespaces.Count == 0)
        {
            return Array.Empty<string>();
        }

        var chosen = await new NamespaceSelector(cluster).SelectAsync(selection.Namespaces, host, cancellationToken).ConfigureAwait(false);
        return chosen.Select(ns => ns.Name()).ToList();
    }

    /// <summary>The error for a -Name the user gave that matches no Dapr-enabled workload (of <paramref name="kinds"/>, when given) in the selected namespaces.</summary>
    public static DaprSecurityException NothingMatches(string name, IReadOnlyList<DaprWorkloadKind>? kinds)
    {
        var workload = kinds is null ? "workload" : string.Join(" or ", kinds);
        var what = Wildcard.HasWildcards(name) ? $"No Dapr-enabled {workload} matches '{name}'" : $"No Dapr-enabled {workload} named '{name}'";
        return DaprErrors.WorkloadNotFound.Raise($"{what} in the selected namespaces.", name);
    }

    /// <summary>Resolves <paramref name="selection"/> in the <paramref name="namespaces"/> already selected from it.</summary>
    public static async Task<IReadOnlyList<Workload>> ResolveAsync(ClusterConnection cluster, WorkloadSelection selection, IReadOnlyList<string> namespaces, IEngineHost host, CancellationToken cancellationToken)
    {
        var scope = namespaces.Concat(selection.Workloads.Select(w => w.Namespace)).Distinct(StringComparer.Ordinal).ToList();
        var all = await new WorkloadCatalog(cluster).ListInNamespacesAsync(scope, daprEnabledOnly: false, cancellationToken).ConfigureAwait(false);
        var result = new List<Workload>();
        foreach (var wanted in selection.Workloads)
        {
            var found = all.FirstOrDefault(w => w.Kind == wanted.Kind && w.Namespace == wanted.Namespace && w.Name == wanted.Name);
            var target = $"{wanted.Kind} {wanted.Namespace}/{wanted.Name}";
            if (found is null)
            {
                host.WriteError(DaprErrors.WorkloadNotFound.Raise($"{target} does not exist.", target));
            }
            else if (!found.IsDaprEnabled)
            {
                host.WriteError(DaprErrors.WorkloadNotDaprEnabled.Raise($"{target} is not Dapr-enabled (dapr.io/enabled is not set on its pod template).", target));
            }
            else
            {
                result.Add(found);
            }
        }

        var selected = namespaces.ToHashSet(StringComparer.Ordinal);
        var inNamespaces = all.Where(w => w.IsDaprEnabled && selection.SelectsKind(w.Kind) && selected.Contains(w.Namespace)).ToList();
        foreach (var name in selection.Names ?? new[] { "*" })
        {
            var pattern = new Wildcard(name);
            var matches = inNamespaces.Where(w => pattern.IsMatch(w.Name)).ToList();
            if (matches.Count == 0 && selection.Names is not null && namespaces.Count > 0)
            {
                // A -Name the user gave, exact or wildcard, never matches nothing in silence.
                host.WriteError(NothingMatches(name, selection.Kinds));
            }

            result.AddRange(matches);
        }

        return result.DistinctBy(w => w.DisplayName).ToList();
    }
}
