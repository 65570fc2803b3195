using DaprSecurity.Engine.Dapr;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// A Deployment, StatefulSet or DaemonSet seen through what Dapr security cares about: its pod-template
/// annotations (where the sidecar is configured), its replicas, and whether its last rollout finished.
/// </summary>
public sealed class Workload
{
    private Workload(DaprWorkloadKind kind, V1ObjectMeta metadata, V1PodTemplateSpec template, V1LabelSelector? selector)
    {
        Kind = kind;
        Namespace = metadata.NamespaceProperty;
        Name = metadata.Name;
        Generation = metadata.Generation ?? 0;
        ResourceVersion = metadata.ResourceVersion;
        Template = template;
        TemplateAnnotations = template.Metadata?.Annotations is { } annotations
            ? new Dictionary<string, string>(annotations, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        Selector = selector?.MatchLabels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>();
        Annotations = metadata.Annotations is { } own ? new Dictionary<string, string>(own, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public DaprWorkloadKind Kind { get; }

    public string Namespace { get; }

    public string Name { get; }

    public long Generation { get; }

    /// <summary>The generation the controller has acted on; a rollout of a newer generation has not been seen yet.</summary>
    public long ObservedGeneration { get; private init; }

    /// <summary>The version read; a patch that carries it fails with a conflict if the workload changed since.</summary>
    public string? ResourceVersion { get; }

    public V1PodTemplateSpec Template { get; }

    /// <summary>The workload object's own annotations (not its pod template's).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    public IReadOnlyDictionary<string, string> TemplateAnnotations { get; }

    /// <summary>The selector's matchLabels (matchExpressions are not used by Dapr workloads in practice).</summary>
    public IReadOnlyDictionary<string, string> Selector { get; }

    public int DesiredReplicas { get; private init; }

    public int ReadyReplicas { get; private init; }

    public bool Paused { get; private init; }

    /// <summary>Where the last rollout stands, by the rules `kubectl rollout status` applies.</summary>
    public RolloutState Rollout { get; private init; } = RolloutState.Complete;

    public bool IsDaprEnabled => DaprAnnotations.IsTruthy(Annotation(DaprAnnotations.Enabled));

    /// <summary>The app-id; null when unset (Dapr then falls back to each pod's name, which breaks scopes).</summary>
    public string? AppId => Annotation(DaprAnnotations.AppId);

    public string? AppTokenSecret => Annotation(DaprAnnotations.AppTokenSecret);

    public string? ApiTokenSecret => Annotation(DaprAnnotations.ApiTokenSecret);

    /// <summary>When the pods were last restarted on purpose (kubectl rollout restart, to the second, or this module, to the tick).</summary>
    public DateTimeOffset? RestartedAt => DateTimeOffset.TryParse(Annotation(DaprAnnotations.RestartedAt), out var at) ? at : null;

    /// <summary>"Deployment prod/orders", for messages and error targets.</summary>
    public string DisplayName => $"{Kind} {Namespace}/{Name}";

    public string? Annotation(string key) => TemplateAnnotations.GetValueOrDefault(key);

    /// <summary>True when <paramref name="pod"/> is in this workload's namespace and matches its selector.</summary>
    public bool Selects(V1Pod pod)
        => Selector.Count > 0
           && pod.Namespace() == Namespace
           && Selector.All(label => pod.Labels()?.TryGetValue(label.Key, out var value) == true && value == label.Value);

    public static Workload From(V1Deployment deployment)
    {
        var status = deployment.Status ?? new V1DeploymentStatus();
        var desired = deployment.Spec.Replicas ?? 1;
        return new Workload(DaprWorkloadKind.Deployment, deployment.Metadata, deployment.Spec.Template, deployment.Spec.Selector)
        {
            DesiredReplicas = desired,
            ReadyReplicas = status.ReadyReplicas ?? 0,
            ObservedGeneration = status.ObservedGeneration ?? 0,
            Paused = deployment.Spec.Paused == true,
            Rollout = DeploymentRollout(deployment.Metadata.Generation ?? 0, status, desired),
        };
    }

    public static Workload From(V1StatefulSet statefulSet)
    {
        var status = statefulSet.Status ?? new V1StatefulSetStatus();
        var desired = statefulSet.Spec.Replicas ?? 1;
        return new Workload(DaprWorkloadKind.StatefulSet, statefulSet.Metadata, statefulSet.Spec.Template, statefulSet.Spec.Selector)
        {
            DesiredReplicas = desired,
            ReadyReplicas = status.ReadyReplicas ?? 0,
            ObservedGeneration = status.ObservedGeneration ?? 0,
            Rollout = StatefulSetRollout(statefulSet.Metadata.Generation ?? 0, status, desired),
        };
    }

    public static Workload From(V1DaemonSet daemonSet)
    {
        var status = daemonSet.Status ?? new V1DaemonSetStatus();
        return new Workload(DaprWorkloadKind.DaemonSet, daemonSet.Metadata, daemonSet.Spec.Template, daemonSet.Spec.Selector)
        {
            DesiredReplicas = status.DesiredNumberScheduled,
            ReadyReplicas = status.NumberReady,
            ObservedGeneration = status.ObservedGeneration ?? 0,
            Rollout = DaemonSetRollout(daemonSet.Metadata.Generation ?? 0, status),
        };
    }

    // The three rules below follow kubectl's polymorphichelpers/rollout_status.go.
    private static RolloutState DeploymentRollout(long generation, V1DeploymentStatus status, int desired)
    {
        if (generation > (status.ObservedGeneration ?? 0))
        {
            return RolloutState.Progressing("waiting for the deployment spec update to be observed");
        }

        if (status.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Reason: "ProgressDeadlineExceeded" })
        {
            return RolloutState.Failed("exceeded its progress deadline");
        }

        var updated = status.UpdatedReplicas ?? 0;
        return updated < desired ? RolloutState.Progressing($"{updated} of {desired} updated replicas are available")
            : (status.Replicas ?? 0) > updated ? RolloutState.Progressing($"{(status.Replicas ?? 0) - updated} old replicas are pending termination")
            : (status.AvailableReplicas ?? 0) < updated ? RolloutState.Progressing($"{status.AvailableReplicas ?? 0} of {updated} updated replicas are available")
            : RolloutState.Complete;
    }

    private static RolloutState StatefulSetRollout(long generation, V1StatefulSetStatus status, int desired)
    {
        if ((status.ObservedGeneration ?? 0) == 0 || generation > (status.ObservedGeneration ?? 0))
        {
            return RolloutState.Progressing("waiting for the statefulset spec update to be observed");
        }

        return (status.ReadyReplicas ?? 0) < desired ? RolloutState.Progressing($"{status.ReadyReplicas ?? 0} of {desired} pods are ready")
            : (status.AvailableReplicas ?? 0) < desired ? RolloutState.Progressing($"{status.AvailableReplicas ?? 0} of {desired} pods are available")
            : status.UpdateRevision != status.CurrentRevision ? RolloutState.Progressing($"{status.UpdatedReplicas ?? 0} of {desired} pods are updated")
            : RolloutState.Complete;
    }

    private static RolloutState DaemonSetRollout(long generation, V1DaemonSetStatus status)
    {
        if (generation > (status.ObservedGeneration ?? 0))
        {
            return RolloutState.Progressing("waiting for the daemon set spec update to be observed");
        }

        var updated = status.UpdatedNumberScheduled ?? 0;
        return updated < status.DesiredNumberScheduled ? RolloutState.Progressing($"{updated} of {status.DesiredNumberScheduled} updated pods are available")
            : (status.NumberAvailable ?? 0) < status.DesiredNumberScheduled ? RolloutState.Progressing($"{status.NumberAvailable ?? 0} of {status.DesiredNumberScheduled} updated pods are available")
            : RolloutState.Complete;
    }
}
