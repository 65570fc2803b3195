using System.Runtime.CompilerServices;
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
    public async IAsyncEnumerable<DaprSecurityResult> AuditClusterAsync(IClusterConnection connection, ClusterAuditTarget target, DaprAuditOptions options, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var session = new AuditSession(options, host, cluster.ContextName, scanRoot: null);
        foreach (var result in session.Start())
        {
            yield return result;
        }

        var reader = new ClusterAuditReader(cluster, host);
        var namespaces = await reader.SelectNamespacesAsync(target.Namespaces, cancellationToken).ConfigureAwait(false);
        var seen = 0;
        var selection = reader.ProblemsFrom(seen);
        seen += selection.Count;
        foreach (var result in session.Problems(selection))
        {
            yield return result;
        }

        if (namespaces.Count > 0)
        {
            // The cluster-wide rules (mTLS) need only the control plane: their results come out before the big lists are
            // read. Those of the running sidecars come last, from the pods the lists read.
            var evidence = await reader.ReadEvidenceAsync(target.ControlPlaneNamespace, cancellationToken).ConfigureAwait(false);
            var clusterWide = RuleCatalogue.All.Where(r => r.ClusterWide).ToList();
            foreach (var result in session.Evaluate(new Model.AuditSnapshot { Cluster = evidence, Now = host.Clock.GetUtcNow() }, clusterWide.Where(r => !r.ReadsSidecars).ToList(), cancellationToken))
            {
                yield return result;
            }

            // Every other rule reads one namespace at a time: a namespace's results come out as soon as it is read.
            var perNamespace = RuleCatalogue.All.Except(clusterWide).ToList();
            await foreach (var snapshot in reader.ReadByNamespaceAsync(namespaces, evidence, options.MaxTokenAgeDays, cancellationToken).ConfigureAwait(false))
            {
                var problems = reader.ProblemsFrom(seen);
                seen += problems.Count;
                foreach (var result in session.Problems(problems).Concat(session.Evaluate(snapshot, perNamespace, cancellationToken)))
                {
                    yield return result;
                }
            }

            foreach (var result in session.Problems(reader.ProblemsFrom(seen)))
            {
                yield return result;
            }

            var sidecars = new Model.AuditSnapshot { Cluster = reader.WithSidecars(evidence), Now = host.Clock.GetUtcNow() };
            foreach (var result in session.Evaluate(sidecars, clusterWide.Where(r => r.ReadsSidecars).ToList(), cancellationToken))
            {
                yield return result;
            }
        }

        session.Finish();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DaprSecurityResult> AuditFilesAsync(IReadOnlyList<string> paths, DaprAuditOptions options, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = new AuditSession(options, host, context: "", ManifestAuditReader.Root(paths));
        foreach (var result in session.Start())
        {
            yield return result;
        }

        // Parsing is CPU work, in parallel (PLINQ) inside the reader.
        var (snapshot, problems, _) = ManifestAuditReader.Read(paths, host, cancellationToken);
        foreach (var result in session.Problems(problems))
        {
            yield return result;
        }

        foreach (var result in session.Evaluate(snapshot with { MaxTokenAgeDays = options.MaxTokenAgeDays }, RuleCatalogue.All, cancellationToken))
        {
            yield return result;
        }

        session.Finish();
    }
}
