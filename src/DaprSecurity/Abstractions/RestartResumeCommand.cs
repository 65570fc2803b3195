namespace DaprSecurity.Abstractions;

/// <summary>
/// The Restart-DaprDeployment commands a stopped -Wait run prints to finish exactly what it left, in one cluster: the
/// namespaces none of whose planned workloads was done, whole; the other workloads left by -Namespace, -Kind and
/// -Name, grouped so that each command selects only workloads left (a Deployment and a StatefulSet of one name in one
/// namespace are told apart by -Kind; namespaces whose workloads left have the same kind and names share one command).
/// </summary>
public static class RestartResumeCommand
{
    /// <param name="selecting">-KubeConfig and -Context of the cluster, as the command line gives them.</param>
    /// <param name="left">The workloads not done.</param>
    /// <param name="wholeNamespaces">The namespaces of <paramref name="left"/> that the run restarted whole (every Dapr workload, none of them done); empty when it selected workloads (-Name, -Kind, piped workloads).</param>
    public static string For(string selecting, IEnumerable<WorkloadReference> left, IReadOnlyCollection<string> wholeNamespaces)
    {
        var workloads = left.ToList();
        var commands = new List<string>();
        var whole = workloads.Select(w => w.Namespace).Where(wholeNamespaces.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (whole.Count > 0)
        {
            commands.Add($"Restart-DaprDeployment {selecting} -Namespace {string.Join(",", whole)} -Wait");
        }

        commands.AddRange(workloads
            .Where(w => !wholeNamespaces.Contains(w.Namespace))
            .GroupBy(w => (w.Namespace, w.Kind))
            .Select(g => (g.Key.Namespace, g.Key.Kind, Names: string.Join(",", g.Select(w => w.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))))
            .GroupBy(g => (g.Kind, g.Names))
            .Select(g => $"Restart-DaprDeployment {selecting} -Namespace {string.Join(",", g.Select(n => n.Namespace).Distinct(StringComparer.Ordinal))} -Kind {g.Key.Kind} -Name {g.Key.Names} -Wait"));
        return string.Join("; ", commands);
    }
}
