namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>
/// The per-rule fixtures in tests/AuditFixtures/&lt;rule id&gt;/{pass,fail}.yaml. Placeholders: __NS__ (the namespace)
/// and __NOW__ (the current time). In a failing fixture the line ending in "# &lt;-" is where the result must point.
/// </summary>
public static class AuditFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "AuditFixtures");

    public static bool Exists(string ruleId) => Directory.Exists(Path.Combine(Folder, ruleId));

    public static string Text(string ruleId, string kind, string @namespace)
        => File.ReadAllText(Path.Combine(Folder, ruleId, kind + ".yaml"))
            .Replace("__NS__", @namespace, StringComparison.Ordinal)
            .Replace("__NOW__", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), StringComparison.Ordinal);

    /// <summary>The 1-based line marked "# &lt;-" in the failing fixture, or 0 when it marks none (cluster-only rules).</summary>
    public static int ExpectedLine(string ruleId)
        => File.ReadAllLines(Path.Combine(Folder, ruleId, "fail.yaml")).Select((line, i) => (line, i)).FirstOrDefault(l => l.line.EndsWith("# <-", StringComparison.Ordinal)).i + 1 is var n && File.ReadAllLines(Path.Combine(Folder, ruleId, "fail.yaml")).Any(l => l.EndsWith("# <-", StringComparison.Ordinal)) ? n : 0;
}
