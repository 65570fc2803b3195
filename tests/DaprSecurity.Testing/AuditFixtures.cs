namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>
/// The per-rule fixtures in tests/AuditFixtures/&lt;rule id&gt;/: pass.yaml and fail.yaml for every rule of the
/// catalogue, and more pass-*.yaml / fail-*.yaml where a rule has several paths. Placeholders: __NS__ (the namespace),
/// __NOW__ (the current time) and whatever the caller adds (the cluster tests' certificates). In a failing fixture
/// the line ending in "# &lt;-" is where the result must point, and a line "# message: text" names text the result's
/// message must hold. Shared by the file tests (engine) and the cluster tests (module).
/// </summary>
public static class AuditFixtures
{
    private const string LineMarker = "# <-";
    private const string MessageMarker = "# message: ";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "AuditFixtures");

    /// <summary>The rule ids that have a fixture folder.</summary>
    public static IReadOnlyList<string> RuleIds()
        => Directory.GetDirectories(Folder).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every fixture as (rule id, file name without .yaml), for example ("DAPR-TOKEN-001", "fail-service").</summary>
    public static IEnumerable<(string RuleId, string Fixture)> All()
        => RuleIds().SelectMany(id => Directory.GetFiles(Path.Combine(Folder, id), "*.yaml")
            .Select(f => (id, Path.GetFileNameWithoutExtension(f)))
            .Order());

    /// <summary>True for a fixture the rule must fail (fail.yaml, fail-*.yaml).</summary>
    public static bool IsFailing(string fixture) => fixture == "fail" || fixture.StartsWith("fail-", StringComparison.Ordinal);

    public static bool Exists(string ruleId, string fixture) => File.Exists(PathOf(ruleId, fixture));

    public static string Text(string ruleId, string fixture, string @namespace, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        var text = File.ReadAllText(PathOf(ruleId, fixture))
            .Replace("__NS__", @namespace, StringComparison.Ordinal)
            .Replace("__NOW__", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), StringComparison.Ordinal);
        foreach (var (name, value) in placeholders ?? new Dictionary<string, string>())
        {
            text = text.Replace(name, value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The 1-based line marked "# &lt;-", or 0 when the fixture marks none (cluster-only rules).</summary>
    public static int ExpectedLine(string ruleId, string fixture)
        => Array.FindIndex(File.ReadAllLines(PathOf(ruleId, fixture)), l => l.EndsWith(LineMarker, StringComparison.Ordinal)) + 1;

    /// <summary>The text the result's message must hold ("# message: ..."), or null.</summary>
    public static string? ExpectedMessage(string ruleId, string fixture)
        => File.ReadAllLines(PathOf(ruleId, fixture)).FirstOrDefault(l => l.StartsWith(MessageMarker, StringComparison.Ordinal))?[MessageMarker.Length..];

    private static string PathOf(string ruleId, string fixture) => Path.Combine(Folder, ruleId, fixture + ".yaml");
}
