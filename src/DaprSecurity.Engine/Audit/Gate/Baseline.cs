using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Gate;

/// <summary>
/// Known failures by fingerprint (rule id and resource identity, never a line number), written by -UpdateBaseline
/// and read by -BaselinePath, so a gate can fail on new findings only.
/// </summary>
internal sealed class Baseline
{
    private const int FormatVersion = 1;

    private readonly HashSet<string> _fingerprints;

    private Baseline(IEnumerable<string> fingerprints) => _fingerprints = fingerprints.ToHashSet(StringComparer.Ordinal);

    public bool Contains(string fingerprint) => _fingerprints.Contains(fingerprint);

    public static Baseline Load(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (json?["version"]?.GetValue<int>() != FormatVersion || json["failures"] is not JsonArray failures)
            {
                throw DaprErrors.AuditBaselineInvalid.Raise($"{path} is not a Test-DaprSecurity baseline (version {FormatVersion}).", path, recommendedAction: "Write it with Test-DaprSecurity -BaselinePath <file> -UpdateBaseline.");
            }

            return new Baseline(failures.OfType<JsonObject>().Select(f => f["fingerprint"]?.GetValue<string>()).OfType<string>());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            throw DaprErrors.AuditBaselineInvalid.Raise($"The baseline {path} cannot be read: {e.Message}", path, e, "Write it with Test-DaprSecurity -BaselinePath <file> -UpdateBaseline.");
        }
    }

    /// <summary>Writes the failures of a run (sorted, so the file diffs well in Git).</summary>
    public static void Write(string path, IEnumerable<DaprSecurityResult> failures)
    {
        var entries = new JsonArray();
        foreach (var failure in failures.DistinctBy(f => f.Fingerprint).OrderBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Fingerprint, StringComparer.Ordinal))
        {
            entries.Add(new JsonObject
            {
                ["fingerprint"] = failure.Fingerprint,
                ["ruleId"] = failure.RuleId,
                ["resource"] = $"{failure.Kind} {(failure.Namespace.Length == 0 ? "" : failure.Namespace + "/")}{failure.Name}",
                ["path"] = failure.Path.Length == 0 ? null : failure.Path,
            });
        }

        var document = new JsonObject { ["tool"] = "DaprSecurity", ["version"] = FormatVersion, ["failures"] = entries };
        try
        {
            var text = new UTF8Encoding(false).GetBytes(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            AtomicFile.Write(path, stream => stream.Write(text));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DaprErrors.FileWriteFailed.Raise($"The baseline {path} cannot be written: {e.Message}", path, e);
        }
    }
}
