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
        foreach (var result in session.Problems(reader.Problems.ToList()))
        {
            yield return result;
        }

        if (namespaces.Count > 0)
        {
            // The mTLS rules need only the control plane: their results come out before the big lists are read.
            var evidence = reader.ReadEvidence(target.ControlPlaneNamespace);
            var mtls = RuleCatalogue.All.Where(r => r.Info.Area == "MTLS").ToList();
            foreach (var result in session.Evaluate(new Model.AuditSnapshot { Cluster = evidence }, mtls))
            {
                yield return result;
            }

            var seen = reader.Problems.Count;
            var snapshot = reader.ReadSnapshot(namespaces, evidence, options.MaxTokenAgeDays);
            foreach (var result in session.Problems(reader.Problems.Skip(seen).ToList()))
            {
                yield return result;
            }

            foreach (var result in session.Evaluate(snapshot, RuleCatalogue.All.Except(mtls)))
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
