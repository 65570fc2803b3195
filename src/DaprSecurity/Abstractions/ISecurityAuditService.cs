using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>The security audit (Test-DaprSecurity) and its rule catalogue (Get-DaprSecurityRule).</summary>
public interface ISecurityAuditService
{
    /// <summary>Every rule of the catalogue, ordered by id.</summary>
    IReadOnlyList<DaprSecurityRule> Rules { get; }

    /// <summary>Audits the namespaces <see cref="ClusterAuditTarget.Namespaces"/> selects, streaming results as rules finish.</summary>
    IAsyncEnumerable<DaprSecurityResult> AuditClusterAsync(IClusterConnection cluster, ClusterAuditTarget target, DaprAuditOptions options, IEngineHost host, CancellationToken cancellationToken);

    /// <summary>Audits manifest files and folders (file-system paths, already resolved).</summary>
    IAsyncEnumerable<DaprSecurityResult> AuditFilesAsync(IReadOnlyList<string> paths, DaprAuditOptions options, IEngineHost host, CancellationToken cancellationToken);
}
