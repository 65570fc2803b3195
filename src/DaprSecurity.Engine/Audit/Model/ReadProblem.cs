using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Audit.Model;

/// <summary>A target the audit could not read (an Error result and an ErrorRecord) or deliberately did not (Skipped).</summary>
/// <param name="Resource">What could not be read: a file, a list, a namespace pattern.</param>
/// <param name="Error">The error to report; null for a skip.</param>
/// <param name="Reason">For a skip: why.</param>
internal sealed record ReadProblem(AuditResource Resource, DaprSecurityException? Error, string? Reason = null)
{
    /// <summary>For files: the line the problem is at (0 when unknown).</summary>
    public int Line { get; init; }
}
