namespace DaprSecurity.Output;

/// <summary>The kinds of workload whose pods Dapr injects a sidecar into and that can be rolled.</summary>
public enum DaprWorkloadKind
{
    Deployment,
    StatefulSet,
    DaemonSet,
}
