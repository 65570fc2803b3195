using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Turns a control-plane service into the row Get-DaprControlPlane shows, with dapr status -k's wording.</summary>
internal static class ControlPlaneStatus
{
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
