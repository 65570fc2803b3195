namespace DaprSecurity.Abstractions;

/// <summary>
/// The Restart-DaprDeployment command a stopped -Wait run prints to finish exactly what it left, in one cluster: the
/// namespaces left when the run restarted whole namespaces, or, when it selected workloads (-Name, piped workloads),
/// -Namespace and -Name grouped so that each command selects only workloads left (namespaces whose workloads left
/// have the same names share one command).
/// </summary>
public static class RestartResumeCommand
{
    /// <param name="selecting">-KubeConfig and -Context of the cluster, as the command line gives them.</param>
    /// <param name="left">The workloads not done, by namespace and name.</param>
    /// <param name="byName">Whether the run selected workloads rather than every Dapr workload of its namespaces.</param>
    public static string For(string selecting, IEnumerable<(string Namespace, string Name)> left, bool byName)
    {
        var byNamespace = left.GroupBy(w => w.Namespace, StringComparer.Ordinal).ToList();
        if (!byName)
        {
            return $"Restart-DaprDeployment {selecting} -Namespace {string.Join(",", byNamespace.Select(g => g.Key))} -Wait";
        }

        var commands = byNamespace
            .Select(g => (Namespace: g.Key, Names: string.Join(",", g.Select(w => w.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))))
            .GroupBy(g => g.Names, StringComparer.Ordinal)
            .Select(g => $"Restart-DaprDeployment {selecting} -Namespace {string.Join(",", g.Select(n => n.Namespace))} -Name {g.Key} -Wait");
        return string.Join("; ", commands);
    }
}
