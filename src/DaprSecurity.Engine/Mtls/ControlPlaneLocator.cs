using System.Text.Json;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Where Dapr's control plane lives, and its mTLS settings.</summary>
internal sealed record DaprControlPlane(string Namespace, MtlsSettings Mtls);

/// <summary>
/// Finds the control-plane namespace without assuming dapr-system: the namespace of the daprsystem Configuration,
/// or, when there is none or several, the namespace of the Sentry deployment (label app=dapr-sentry).
/// </summary>
internal sealed class ControlPlaneLocator
{
    private const string DaprGroup = "dapr.io";
    private const string ConfigurationVersion = "v1alpha1";
    private const string ConfigurationPlural = "configurations";
    private const string SentrySelector = "app=dapr-sentry";

    private readonly ClusterConnection _cluster;

    public ControlPlaneLocator(ClusterConnection cluster) => _cluster = cluster;

    /// <param name="explicitNamespace">The user's -ControlPlaneNamespace; skips discovery.</param>
    public async Task<DaprControlPlane> LocateAsync(string? explicitNamespace, CancellationToken cancellationToken)
    {
        if (explicitNamespace is not null)
        {
            var configuration = await _cluster.GetOrNullAsync(
                (c, t) => c.CustomObjects.GetNamespacedCustomObjectAsync(DaprGroup, ConfigurationVersion, explicitNamespace, ConfigurationPlural, MtlsSettings.ConfigurationName, t),
                $"configuration {explicitNamespace}/{MtlsSettings.ConfigurationName}",
                cancellationToken).ConfigureAwait(false);
            return new DaprControlPlane(explicitNamespace, configuration is JsonElement found ? MtlsSettings.From(found) : MtlsSettings.Missing);
        }

        var configurations = await WithNamespaceHint(() => ListDaprSystemConfigurationsAsync(cancellationToken)).ConfigureAwait(false);
        if (configurations.Count == 1)
        {
            return new DaprControlPlane(configurations[0].Namespace, MtlsSettings.From(configurations[0].Configuration));
        }

        var sentryNamespaces = await WithNamespaceHint(() => ListSentryNamespacesAsync(cancellationToken)).ConfigureAwait(false);
        var candidates = configurations.Count == 0 ? sentryNamespaces : sentryNamespaces.Intersect(configurations.Select(c => c.Namespace)).ToList();
        return candidates.Count switch
        {
            1 => new DaprControlPlane(
                candidates[0],
                configurations.Where(c => c.Namespace == candidates[0]).Select(c => MtlsSettings.From(c.Configuration)).FirstOrDefault() ?? MtlsSettings.Missing),
            0 => throw DaprErrors.DaprControlPlaneNotFound.Raise($"No Dapr control plane found in context '{_cluster.ContextName}': no daprsystem Configuration and no deployment labelled {SentrySelector}.",
                _cluster.ContextName,
                recommendedAction: "Check that Dapr is installed in this cluster (dapr init -k or the Helm chart), or name its namespace with -ControlPlaneNamespace."),
            _ => throw DaprErrors.DaprControlPlaneAmbiguous.Raise($"Several Dapr control planes found ({string.Join(", ", candidates)}); choose one with -ControlPlaneNamespace.",
                string.Join(",", candidates)),
        };
    }

    private async Task<List<(string Namespace, JsonElement Configuration)>> ListDaprSystemConfigurationsAsync(CancellationToken cancellationToken)
    {
        // A 404 means the Configuration CRD is not installed; Sentry's deployment may still tell.
        var list = await _cluster.GetOrNullAsync(
            (c, t) => c.CustomObjects.ListClusterCustomObjectAsync(DaprGroup, ConfigurationVersion, ConfigurationPlural, cancellationToken: t),
            "configurations.dapr.io (all namespaces)",
            cancellationToken).ConfigureAwait(false);
        if (list is not JsonElement json || !json.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return new();
        }

        return items.EnumerateArray()
            .Where(i => i.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var n) && n.GetString() == MtlsSettings.ConfigurationName)
            .Select(i => (i.GetProperty("metadata").GetProperty("namespace").GetString() ?? "", i.Clone()))
            .ToList();
    }

    private async Task<List<string>> ListSentryNamespacesAsync(CancellationToken cancellationToken)
    {
        var deployments = await _cluster.CallAsync(
            (c, t) => c.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: SentrySelector, cancellationToken: t),
            $"deployments labelled {SentrySelector} (all namespaces)",
            cancellationToken).ConfigureAwait(false);
        return deployments.Items.Select(d => d.Metadata.NamespaceProperty).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Users allowed only in the control-plane namespace cannot list cluster-wide; tell them the way out.</summary>
    private static async Task<T> WithNamespaceHint<T>(Func<Task<T>> discover)
    {
        try
        {
            return await discover().ConfigureAwait(false);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
        {
            throw e.Reraise(e.Message, e, "Finding the Dapr control plane lists objects in all namespaces; without that permission, name its namespace with -ControlPlaneNamespace.");
        }
    }
}
