namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>One trust-bundle certificate seen during a cluster audit.</summary>
/// <param name="Role">"root" or "issuer".</param>
public sealed record AuditCertificate(string Context, string Role, string Subject, DateTimeOffset NotAfter, double DaysUntilExpiry);
