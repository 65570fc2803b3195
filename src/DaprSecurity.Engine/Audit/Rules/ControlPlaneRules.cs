using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>Dapr's production advice for the control plane: a namespace of its own, and high availability.</summary>
internal static class ControlPlaneRules
{
    private static readonly DaprControlPlaneRole[] s_needsHa = { DaprControlPlaneRole.Sentry, DaprControlPlaneRole.Placement, DaprControlPlaneRole.Operator };

    /// <summary>DAPR-CTRL-001: per control-plane namespace, reported on its Sentry (or first service).</summary>
    public static IEnumerable<RuleFinding> OwnNamespace(AuditSnapshot snapshot)
    {
        foreach (var group in DaprApps.ControlPlane(snapshot).GroupBy(c => c.Workload.Resource.Namespace, StringComparer.Ordinal))
        {
            var anchor = group.OrderBy(c => c.Role).First().Workload;
            var at = new[] { "metadata", "namespace" };
            var apps = DaprApps.In(snapshot, group.Key).Select(w => w.Resource.Name).Order(StringComparer.Ordinal).ToList();
            if (group.Key is "" or "default")
            {
                yield return RuleFinding.Fail(anchor.Resource, $"The Dapr control plane runs in namespace '{(group.Key.Length == 0 ? "(none set)" : group.Key)}', which every app shares.", at);
            }
            else if (apps.Count > 0)
            {
                yield return RuleFinding.Fail(anchor.Resource, $"The Dapr control plane shares namespace '{group.Key}' with Dapr apps: {string.Join(", ", apps.Take(5))}{(apps.Count > 5 ? $" and {apps.Count - 5} more" : "")}.", at);
            }
            else
            {
                yield return RuleFinding.Pass(anchor.Resource, $"The Dapr control plane has namespace '{group.Key}' to itself.", at);
            }
        }
    }

    /// <summary>DAPR-CTRL-002: Sentry, placement and operator each with more than one replica.</summary>
    public static IEnumerable<RuleFinding> HighAvailability(AuditSnapshot snapshot)
    {
        foreach (var (workload, role) in DaprApps.ControlPlane(snapshot).Where(c => s_needsHa.Contains(c.Role) && c.Workload.Workload!.Kind != DaprWorkloadKind.DaemonSet))
        {
            var replicas = workload.Workload!.DesiredReplicas;
            var at = new[] { "spec", "replicas" };
            yield return replicas > 1
                ? RuleFinding.Pass(workload.Resource, $"{role} runs {replicas} replicas.", at)
                : RuleFinding.Fail(workload.Resource, $"{role} runs {replicas} replica{(replicas == 1 ? "" : "s")}: when it is down, {Consequence(role)}.", at);
        }
    }

    private static string Consequence(DaprControlPlaneRole role) => role switch
    {
        DaprControlPlaneRole.Sentry => "no sidecar can get or renew its certificate",
        DaprControlPlaneRole.Placement => "actors cannot be placed",
        _ => "component and configuration changes do not reach the sidecars",
    };
}
