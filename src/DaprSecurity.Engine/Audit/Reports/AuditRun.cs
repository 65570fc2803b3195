using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>Everything a report needs about one Test-DaprSecurity run: the catalogue, every result, and the certificates seen.</summary>
/// <param name="ToolVersion">The module version, for SARIF's driver and report headers.</param>
/// <param name="StartedAt">When the run began (from the engine's clock).</param>
/// <param name="Rules">The whole rule catalogue (SARIF lists every rule in its driver).</param>
/// <param name="Results">Every result of the run, passes included, in emission order.</param>
/// <param name="Certificates">Root and issuer certificates read per context, for expiry metrics; empty for files.</param>
/// <param name="ScanRoot">For -Path runs: the absolute folder results' relative paths start from; null for a cluster.</param>
public sealed record AuditRun(
    string ToolVersion,
    DateTimeOffset StartedAt,
    IReadOnlyList<DaprSecurityRule> Rules,
    IReadOnlyList<DaprSecurityResult> Results,
    IReadOnlyList<AuditCertificate> Certificates,
    string? ScanRoot);
