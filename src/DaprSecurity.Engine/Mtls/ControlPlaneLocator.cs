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
            if (configuration is JsonElement found)
            {
                return new DaprControlPlane(explicitNamespace, MtlsSettings.From(found));
            }

            await RequireSentryAsync(explicitNamespace, cancellationToken).ConfigureAwait(false);
            return new DaprControlPlane(explicitNamespace, MtlsSettings.Missing);
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

    /// <summary>
    /// A -ControlPlaneNamespace without the daprsystem Configuration must at least run Sentry; a namespace that does
    /// not exist, or holds no control plane, is an error naming it, never an empty result.
    /// </summary>
    private async Task RequireSentryAsync(string controlPlaneNamespace, CancellationToken cancellationToken)
    {
        var recommendedAction = "Name the namespace Dapr is installed in (kubectl get deploy -A -l " + SentrySelector + "), or leave -ControlPlaneNamespace out to find it.";
        if (await NamespaceMissingAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false))
        {
            throw DaprErrors.DaprControlPlaneNotFound.Raise($"The namespace '{controlPlaneNamespace}' given as -ControlPlaneNamespace does not exist in context '{_cluster.ContextName}'.",
                controlPlaneNamespace,
                recommendedAction: recommendedAction);
        }

        var sentry = await _cluster.CallAsync(
            (c, t) => c.AppsV1.ListNamespacedDeploymentAsync(controlPlaneNamespace, labelSelector: SentrySelector, cancellationToken: t),
            $"deployments labelled {SentrySelector} in namespace {controlPlaneNamespace}",
            cancellationToken).ConfigureAwait(false);
        if (sentry.Items.Count == 0)
        {
            throw DaprErrors.DaprControlPlaneNotFound.Raise($"No Dapr control plane in namespace '{controlPlaneNamespace}' of context '{_cluster.ContextName}': it has neither the {MtlsSettings.ConfigurationName} Configuration nor a deployment labelled {SentrySelector}.",
                controlPlaneNamespace,
                recommendedAction: recommendedAction);
        }
    }

    /// <summary>True only when the API server says the namespace does not exist; an identity that may not read namespaces goes on.</summary>
    private async Task<bool> NamespaceMissingAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _cluster.GetOrNullAsync((c, t) => c.CoreV1.ReadNamespaceAsync(name, cancellationToken: t), $"namespace {name}", cancellationToken).ConfigureAwait(false) is null;
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
        {
            return false;
        }
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
