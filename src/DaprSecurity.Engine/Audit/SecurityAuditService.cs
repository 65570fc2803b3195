using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Gate;
using DaprSecurity.Engine.Audit.Reading;
using DaprSecurity.Engine.Audit.Rules;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit;

/// <summary>The engine behind Test-DaprSecurity and Get-DaprSecurityRule: the same rules over a cluster or manifest files.</summary>
public sealed class SecurityAuditService : ISecurityAuditService
{
    /// <inheritdoc />
    public IReadOnlyList<DaprSecurityRule> Rules => RuleCatalogue.All.Select(r => r.Info).ToList();

    /// <inheritdoc />
    public IEnumerable<DaprSecurityResult> AuditCluster(IClusterConnection connection, ClusterAuditTarget target, DaprAuditOptions options, IEngineHost host)
    {
        var cluster = ClusterConnection.From(connection);
        var session = new AuditSession(options, host, cluster.ContextName, scanRoot: null);
        foreach (var result in session.Start())
        {
            yield return result;
        }

        var reader = new ClusterAuditReader(cluster, host);
        var namespaces = reader.SelectNamespaces(target.Namespaces);
        var seen = 0;
        var selection = reader.ProblemsFrom(seen);
        seen += selection.Count;
        foreach (var result in session.Problems(selection))
        {
            yield return result;
        }

        if (namespaces.Count > 0)
        {
            // The cluster-wide rules (mTLS) need only the control plane: their results come out before the big lists are read.
            var evidence = reader.ReadEvidence(target.ControlPlaneNamespace);
            var clusterWide = RuleCatalogue.All.Where(r => r.ClusterWide).ToList();
            foreach (var result in session.Evaluate(new Model.AuditSnapshot { Cluster = evidence, Now = host.Clock.GetUtcNow() }, clusterWide))
            {
                yield return result;
            }

            // Every other rule reads one namespace at a time: a namespace's results come out as soon as it is read.
            var perNamespace = RuleCatalogue.All.Except(clusterWide).ToList();
            foreach (var snapshot in reader.ReadByNamespace(namespaces, evidence, options.MaxTokenAgeDays))
            {
                var problems = reader.ProblemsFrom(seen);
                seen += problems.Count;
                foreach (var result in session.Problems(problems).Concat(session.Evaluate(snapshot, perNamespace)))
                {
                    yield return result;
                }
            }

            foreach (var result in session.Problems(reader.ProblemsFrom(seen)))
            {
                yield return result;
            }
        }

        session.Finish();
    }

    /// <inheritdoc />
    public IEnumerable<DaprSecurityResult> AuditFiles(IReadOnlyList<string> paths, DaprAuditOptions options, IEngineHost host)
    {
        var session = new AuditSession(options, host, context: "", ManifestAuditReader.Root(paths));
        foreach (var result in session.Start())
        {
            yield return result;
        }

        var (snapshot, problems, _) = ManifestAuditReader.Read(paths, host);
        foreach (var result in session.Problems(problems))
        {
            yield return result;
        }

        foreach (var result in session.Evaluate(snapshot with { MaxTokenAgeDays = options.MaxTokenAgeDays }, RuleCatalogue.All))
        {
            yield return result;
        }

        session.Finish();
    }
}
