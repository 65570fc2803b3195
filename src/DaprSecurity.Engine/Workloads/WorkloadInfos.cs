using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>Turns workloads into the DaprWorkloadInfo objects cmdlets show.</summary>
public static class WorkloadInfos
{
    public static DaprWorkloadInfo From(Workload workload, bool tokenStale) => new()
    {
        Namespace = workload.Namespace,
        Kind = workload.Kind,
        Name = workload.Name,
        AppId = workload.AppId,
        AppTokenSecret = workload.AppTokenSecret,
        ApiTokenSecret = workload.ApiTokenSecret,
        ListenAddresses = workload.Annotation(DaprAnnotations.ListenAddresses),
        ApiLogging = workload.Annotation(DaprAnnotations.EnableApiLogging) is { } logging ? DaprAnnotations.IsTruthy(logging) : null,
        ReadyReplicas = workload.ReadyReplicas,
        DesiredReplicas = workload.DesiredReplicas,
        LastRestart = workload.RestartedAt,
        TokenStale = tokenStale,
        Paused = workload.Paused,
    };

    /// <summary>True when a token secret the workload uses changed after its pods started (see <see cref="TokenFreshness"/>).</summary>
    public static bool IsTokenStale(Workload workload, TokenSecretIndex secrets, IEnumerable<V1Pod> pods)
        => TokenReferences.Of(workload)
            .Select(r => secrets.Find(workload.Namespace, r.Secret))
            .Any(s => s is not null && TokenSecretMetadata.UpdatedAt(s) is { } changed && !TokenFreshness.IsUpToDate(workload, pods, changed));
}
