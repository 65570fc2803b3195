namespace DaprSecurity.Commands;

/// <summary>Where a run across clusters stopped: the cluster whose work went wrong (null: none did) and the clusters not touched after it.</summary>
internal sealed record ClusterStop(TargetCluster? StoppedIn, IReadOnlyList<TargetCluster> NotStarted)
{
    /// <summary>The contexts not touched, for a warning: 'prod-west', 'stage'.</summary>
    public string NotStartedNames => string.Join(", ", NotStarted.Select(c => $"'{c.Context}'"));

    /// <summary>-KubeConfig and -Context for a command that finishes in <paramref name="cluster"/>.</summary>
    public static string Selecting(TargetCluster cluster)
        => (cluster.KubeConfig is null ? "" : $"-KubeConfig '{cluster.KubeConfig.Replace("'", "''", StringComparison.Ordinal)}' ") + $"-Context '{cluster.Context.Replace("'", "''", StringComparison.Ordinal)}'";
}
