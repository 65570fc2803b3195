namespace DaprSecurity.Output;

/// <summary>The control-plane services Dapr installs.</summary>
public enum DaprControlPlaneRole
{
    Sentry,
    Operator,
    Placement,
    Scheduler,
    SidecarInjector,
}
