using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Workloads;

/// <summary>Turns workloads into the DaprWorkloadInfo objects cmdlets show.</summary>
public static class WorkloadInfos
{
    public static DaprWorkloadInfo From(Workload workload, bool? tokenStale) => new()
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

    /// <summary>
    /// True when a token secret the workload uses holds a newer token than some of its pods, false when none does, null
    /// when it cannot tell (see <see cref="TokenFreshness"/>). Secrets that do not exist are not counted.
    /// </summary>
    public static bool? IsTokenStale(Workload workload, TokenSecretIndex secrets, IEnumerable<V1Pod> pods)
    {
        bool? stale = false;
        foreach (var (name, kind) in TokenReferences.Of(workload))
        {
            if (secrets.Find(workload.Namespace, name) is not { } secret)
            {
                continue;
            }

            switch (TokenFreshness.IsStale(workload, pods, kind, TokenSecretMetadata.Fingerprint(secret), TokenSecretMetadata.UpdatedAt(secret)))
            {
                case true:
                    return true;
                case null:
                    stale = null;
                    break;
            }
        }

        return stale;
    }
}
