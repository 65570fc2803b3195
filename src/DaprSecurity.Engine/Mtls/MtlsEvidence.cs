using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Everything Test-DaprMtls looks at, read from the cluster once; the checks themselves are pure.</summary>
/// <param name="Sentry">The Sentry service, or null when there is no deployment labelled app=dapr-sentry.</param>
/// <param name="DaprPods">Pods with an injected daprd sidecar, in all namespaces; null when they could not be listed.</param>
/// <param name="Now">The time the checks are made against (UTC).</param>
/// <param name="WarningDays">Certificates that expire within this many days give a warning.</param>
internal sealed record MtlsEvidence(
    DaprControlPlane ControlPlane,
    DaprControlPlaneComponent? Sentry,
    StoredTrustBundle Bundle,
    IReadOnlyList<V1Pod>? DaprPods,
    DateTime Now,
    int WarningDays)
{
    /// <summary>Why <see cref="DaprPods"/> is null (for example, no permission to list pods in all namespaces).</summary>
    public string? DaprPodsError { get; init; }
}
