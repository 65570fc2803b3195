using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Turns a control-plane service into the row Get-DaprControlPlane shows, with dapr status -k's wording.</summary>
internal static class ControlPlaneStatus
{
    /// <summary>The workload each service has in Dapr's Helm chart, named in the row of a missing one.</summary>
    private static readonly Dictionary<DaprControlPlaneRole, (string Name, DaprWorkloadKind Kind)> s_installed = new()
    {
        [DaprControlPlaneRole.Sentry] = ("dapr-sentry", DaprWorkloadKind.Deployment),
        [DaprControlPlaneRole.Operator] = ("dapr-operator", DaprWorkloadKind.Deployment),
        [DaprControlPlaneRole.Placement] = ("dapr-placement-server", DaprWorkloadKind.StatefulSet),
        [DaprControlPlaneRole.Scheduler] = ("dapr-scheduler-server", DaprWorkloadKind.StatefulSet),
        [DaprControlPlaneRole.SidecarInjector] = ("dapr-sidecar-injector", DaprWorkloadKind.Deployment),
    };

    /// <summary>
    /// Every service's row, in restart order, with an unhealthy "Not found" row for each service the control plane
    /// lacks: a deleted service is a problem to show, never a row that silently disappears. The scheduler exists
    /// since Dapr 1.14, so it is expected unless every version read is older.
    /// </summary>
    public static IReadOnlyList<DaprControlPlaneComponent> DescribeAll(IReadOnlyList<ControlPlaneService> services, string controlPlaneNamespace, DateTime now)
    {
        var rows = services.Select(s => Describe(s, now)).ToList();
        var versions = rows.Select(r => System.Version.TryParse(r.Version.TrimStart('v').Split('-')[0], out var v) ? v : null).Where(v => v is not null).ToList();
        var schedulerExpected = versions.Count == 0 || versions.Any(v => v >= new System.Version(1, 14));
        foreach (var role in Enum.GetValues<DaprControlPlaneRole>())
        {
            if (rows.All(r => r.Role != role) && (role != DaprControlPlaneRole.Scheduler || schedulerExpected))
            {
                rows.Add(new DaprControlPlaneComponent
                {
                    Name = s_installed[role].Name,
                    Namespace = controlPlaneNamespace,
                    Role = role,
                    Kind = s_installed[role].Kind,
                    Healthy = false,
                    Status = "Not found",
                });
            }
        }

        return rows.OrderBy(r => r.Role).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public static DaprControlPlaneComponent Describe(ControlPlaneService service, DateTime now)
    {
        var workload = service.Workload;
        var oldestPod = service.Pods.Select(p => p.Metadata.CreationTimestamp).Where(t => t is not null).Min();
        return new DaprControlPlaneComponent
        {
            Name = workload.Name,
            Namespace = workload.Namespace,
            Role = service.Role,
            Kind = workload.Kind,
            Healthy = workload.DesiredReplicas > 0 && workload.ReadyReplicas >= workload.DesiredReplicas && workload.Rollout.Phase != RolloutPhase.Failed,
            Status = Status(service),
            ReadyReplicas = workload.ReadyReplicas,
            DesiredReplicas = workload.DesiredReplicas,
            Version = Version(workload),
            Age = oldestPod is { } created ? TimeSpan.FromSeconds(Math.Floor((now - created.ToUniversalTime()).TotalSeconds)) : TimeSpan.Zero,
        };
    }

    /// <summary>The tag of the service's image (the container named like the workload, else the first).</summary>
    internal static string Version(Workload workload)
    {
        var containers = workload.Template.Spec?.Containers ?? new List<V1Container>();
        var image = (containers.FirstOrDefault(c => c.Name == workload.Name) ?? containers.FirstOrDefault())?.Image ?? "";
        image = image.Split('@')[0];
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[(colon + 1)..] : "";
    }

    /// <summary>Running when all is well; otherwise the first reason a pod gives, or where the rollout stands.</summary>
    private static string Status(ControlPlaneService service)
    {
        var workload = service.Workload;
        if (workload.DesiredReplicas == 0)
        {
            return "Scaled to zero";
        }

        var problem = service.Pods
            .SelectMany(p => p.Status?.ContainerStatuses ?? new List<V1ContainerStatus>())
            .Select(c => c.State?.Waiting is { } waiting ? $"Waiting ({waiting.Reason})" : c.State?.Terminated is { } terminated ? $"Terminated ({terminated.Reason})" : null)
            .FirstOrDefault(s => s is not null);
        return problem
            ?? workload.Rollout.Phase switch
            {
                RolloutPhase.Failed => $"Failed ({workload.Rollout.Message})",
                _ when workload.ReadyReplicas < workload.DesiredReplicas => service.Pods.Count == 0 ? "No pods" : service.Pods.Select(p => p.Status?.Phase).FirstOrDefault(p => p != "Running") ?? "Not ready",
                RolloutPhase.Progressing => $"Rolling out ({workload.Rollout.Message})",
                _ => "Running",
            };
    }
}
