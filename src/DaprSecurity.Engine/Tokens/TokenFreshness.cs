using DaprSecurity.Engine.Workloads;
using k8s.Models;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Whether a workload's pods already carry the token its secret holds. daprd reads the secret only when its container
/// starts, so pods that started before the token changed still hold the previous one. A workload is up to date when it
/// was restarted (restartedAt) in or after the second the token changed, or when every pod it has was created after that.
/// </summary>
public static class TokenFreshness
{
    /// <param name="workload">The workload.</param>
    /// <param name="pods">Pods of its namespace (others are ignored); only those it selects count.</param>
    /// <param name="tokenChangedAt">When its secret's token last changed.</param>
    public static bool IsUpToDate(Workload workload, IEnumerable<V1Pod> pods, DateTimeOffset tokenChangedAt)
    {
        var changed = DateTimeOffset.FromUnixTimeSeconds(tokenChangedAt.ToUnixTimeSeconds());
        if (workload.RestartedAt >= changed)
        {
            return true;
        }

        var own = pods.Where(workload.Selects).ToList();
        return own.Count == 0
            ? workload.DesiredReplicas == 0
            : own.All(p => p.Metadata.CreationTimestamp is { } created && new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) > changed);
    }
}
