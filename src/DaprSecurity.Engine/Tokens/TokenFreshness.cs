using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Whether a workload's pods already carry the token its secret holds. daprd reads the secret only when its container
/// starts, so pods that started before the token changed still hold the previous one.
/// <para>When this module restarts a workload it writes the fingerprint of each token into the pod template
/// (<see cref="FingerprintAnnotation"/>), and the new pods inherit it: a pod whose annotation names the secret's current
/// fingerprint started with that token, whatever the clocks say. For other pods (restarted by other means) the pod's
/// creation time is compared with the time the token changed, with a tolerance of one second either way for the
/// whole-second timestamps and for clocks that differ; inside it the answer is "cannot tell", never a false "stale".</para>
/// </summary>
public static class TokenFreshness
{
    /// <summary>Creation times closer than this to the token change cannot be ordered.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    /// <summary>The pod-template annotation holding the fingerprint of the token of <paramref name="kind"/> the pods started with.</summary>
    public static string FingerprintAnnotation(DaprTokenKind kind)
        => kind == DaprTokenKind.App ? "daprsecurity.io/app-token-fingerprint" : "daprsecurity.io/api-token-fingerprint";

    /// <summary>
    /// True when some pod of the workload holds an older token than the secret's, false when every pod holds the current
    /// one, null when it cannot tell (a pod started within <see cref="Tolerance"/> of the change, or no pods while replicas are wanted).
    /// </summary>
    /// <param name="workload">The workload.</param>
    /// <param name="pods">Pods of its namespace (others are ignored); only those it selects count.</param>
    /// <param name="kind">Which of its token references (app or api) this is about.</param>
    /// <param name="fingerprint">The fingerprint of the token the secret holds now; null when unknown.</param>
    /// <param name="tokenChangedAt">When the secret's token last changed; null when unknown.</param>
    public static bool? IsStale(Workload workload, IEnumerable<V1Pod> pods, DaprTokenKind kind, string? fingerprint, DateTimeOffset? tokenChangedAt)
    {
        var own = pods.Where(p => p.Metadata.DeletionTimestamp is null && workload.Selects(p)).ToList();
        if (own.Count == 0)
        {
            return workload.DesiredReplicas == 0 ? false : null;
        }

        var annotation = FingerprintAnnotation(kind);
        bool? stale = false;
        foreach (var pod in own)
        {
            if (fingerprint is not null && pod.GetAnnotation(annotation) == fingerprint)
            {
                continue;
            }

            switch (StartedAfter(pod, tokenChangedAt))
            {
                case false:
                    return true;
                case null:
                    stale = null;
                    break;
            }
        }

        return stale;
    }

    /// <summary>Whether the pod was created after the change, by the clocks: null inside the tolerance or without times.</summary>
    private static bool? StartedAfter(V1Pod pod, DateTimeOffset? tokenChangedAt)
    {
        if (pod.Metadata.CreationTimestamp is not { } created || tokenChangedAt is not { } changed)
        {
            return null;
        }

        var gap = new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) - changed;
        return gap > Tolerance ? true : gap < -Tolerance ? false : null;
    }
}
