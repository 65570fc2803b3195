using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>One control-plane service: its role, its workload and its pods.</summary>
internal sealed record ControlPlaneService(DaprControlPlaneRole Role, Workload Workload, IReadOnlyList<V1Pod> Pods);

/// <summary>
/// Reads Dapr's control-plane services from their namespace: the workloads whose pod template carries
/// <c>dapr.io/control-plane</c> (the annotation Sentry derives their identity from) or, failing that, the chart's
/// <c>app</c> label. Ordered as they must be restarted: Sentry, operator, placement, scheduler, injector.
/// </summary>
internal sealed class ControlPlaneServices
{
    private static readonly Dictionary<string, DaprControlPlaneRole> s_byAnnotation = new(StringComparer.Ordinal)
    {
        ["sentry"] = DaprControlPlaneRole.Sentry,
        ["operator"] = DaprControlPlaneRole.Operator,
        ["placement"] = DaprControlPlaneRole.Placement,
        ["scheduler"] = DaprControlPlaneRole.Scheduler,
        ["injector"] = DaprControlPlaneRole.SidecarInjector,
    };

    private static readonly Dictionary<string, DaprControlPlaneRole> s_byAppLabel = new(StringComparer.Ordinal)
    {
        ["dapr-sentry"] = DaprControlPlaneRole.Sentry,
        ["dapr-operator"] = DaprControlPlaneRole.Operator,
        ["dapr-placement-server"] = DaprControlPlaneRole.Placement,
        ["dapr-placement"] = DaprControlPlaneRole.Placement,
        ["dapr-scheduler-server"] = DaprControlPlaneRole.Scheduler,
        ["dapr-sidecar-injector"] = DaprControlPlaneRole.SidecarInjector,
    };

    private readonly ClusterConnection _cluster;

    public ControlPlaneServices(ClusterConnection cluster) => _cluster = cluster;

    public async Task<IReadOnlyList<ControlPlaneService>> ReadAsync(string controlPlaneNamespace, CancellationToken cancellationToken)
    {
        var workloads = new WorkloadCatalog(_cluster).ListAsync(controlPlaneNamespace, daprEnabledOnly: false, cancellationToken);
        var pods = _cluster.CallAsync(
            (c, t) => c.CoreV1.ListNamespacedPodAsync(controlPlaneNamespace, cancellationToken: t),
            $"pods in namespace {controlPlaneNamespace}",
            cancellationToken);
        var podList = (await pods.ConfigureAwait(false)).Items;
        return (await workloads.ConfigureAwait(false))
            .Select(w => (Workload: w, Role: RoleOf(w)))
            .Where(w => w.Role is not null)
            .Select(w => new ControlPlaneService(w.Role!.Value, w.Workload, podList.Where(w.Workload.Selects).ToList()))
            .OrderBy(s => s.Role)
            .ThenBy(s => s.Workload.Name, StringComparer.Ordinal)
            .ToList();
    }

    internal static DaprControlPlaneRole? RoleOf(Workload workload)
    {
        if (workload.Annotation(DaprAnnotations.ControlPlane) is { } annotation && s_byAnnotation.TryGetValue(annotation, out var role))
        {
            return role;
        }

        return workload.Template.Metadata?.Labels?.TryGetValue("app", out var app) == true && s_byAppLabel.TryGetValue(app, out role) ? role : null;
    }
}
