using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Mtls;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>The workloads rules look at: Dapr apps (sidecar injected, not the control plane) and control-plane services.</summary>
internal static class DaprApps
{
    /// <summary>Dapr-enabled workloads and bare pods that are not part of Dapr's control plane.</summary>
    public static IEnumerable<AuditWorkload> Of(AuditSnapshot snapshot)
        => snapshot.Workloads.Where(IsDaprApp);

    /// <summary>The Dapr apps of one namespace.</summary>
    public static IEnumerable<AuditWorkload> In(AuditSnapshot snapshot, string @namespace)
        => snapshot.WorkloadsIn(@namespace).Where(IsDaprApp);

    /// <summary>The control-plane services (Sentry, operator, placement, scheduler, injector) with their role.</summary>
    public static IEnumerable<(AuditWorkload Workload, Output.DaprControlPlaneRole Role)> ControlPlane(AuditSnapshot snapshot)
        => snapshot.Workloads
            .Where(w => w.Workload is not null)
            .Select(w => (Workload: w, Role: ControlPlaneServices.RoleOf(w.Workload!)))
            .Where(w => w.Role is not null)
            .Select(w => (w.Workload, w.Role!.Value));

    private static bool IsDaprApp(AuditWorkload workload) => workload.IsDaprEnabled && !IsControlPlane(workload);

    public static bool IsControlPlane(AuditWorkload workload) => workload.Workload is { } w && ControlPlaneServices.RoleOf(w) is not null;

    /// <summary>The app-ids of the Dapr apps of a namespace.</summary>
    public static IReadOnlySet<string> AppIds(AuditSnapshot snapshot, string @namespace)
        => In(snapshot, @namespace).Select(w => w.AppId).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
