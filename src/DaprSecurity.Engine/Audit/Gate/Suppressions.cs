using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Audit.Gate;

/// <summary>A suppression written wrongly (no reason, no rule id, a bad date): it suppresses nothing and is itself a finding.</summary>
internal sealed record InvalidSuppression(AuditResource Resource, string Message, IReadOnlyList<string>? At);

/// <summary>
/// The suppressions of a run: the <c>daprsecurity.io/ignore</c> annotation of each object
/// ("DAPR-SIDECAR-001=reason; DAPR-TOKEN-002=reason") and the -SuppressionPath file:
/// <code>
/// suppressions:
/// - ruleId: DAPR-SIDECAR-001      # wildcards allowed
///   namespace: legacy-*           # optional, like kind and name
///   kind: Deployment
///   name: billing
///   reason: Exposed on purpose behind the mesh gateway; ticket OPS-123
///   expires: 2027-03-31           # optional; after that day it stops applying
/// </code>
/// </summary>
internal sealed class Suppressions
{
    public const string Annotation = "daprsecurity.io/ignore";

    private readonly IReadOnlyList<Suppression> _file;

    private Suppressions(IReadOnlyList<Suppression> file, IReadOnlyList<InvalidSuppression> invalid)
    {
        _file = file;
        FileProblems = invalid;
    }

    /// <summary>Entries of the suppression file that are not valid.</summary>
    public IReadOnlyList<InvalidSuppression> FileProblems { get; }

    public static Suppressions None { get; } = new(Array.Empty<Suppression>(), Array.Empty<InvalidSuppression>());

    /// <summary>Reads the suppression file; a file that cannot be read or parsed is an error for the whole run.</summary>
    public static Suppressions Load(string path)
    {
        ManifestFile file;
        IReadOnlyList<ManifestDocument> documents;
        try
        {
            file = ManifestFile.Read(path);
            documents = ManifestParser.Parse(file.Text, path);
        }
        catch (DaprSecurityException e)
        {
            throw DaprErrors.AuditSuppressionFileInvalid.Raise($"The suppression file {path} cannot be used: {e.Message}", path, e);
        }

        var name = Path.GetFileName(path);
        var suppressions = new List<Suppression>();
        var invalid = new List<InvalidSuppression>();
        foreach (var document in documents.Where(d => d.Root is not null))
        {
            var json = ManifestJson.From(document.Root, path);
            var (entries, prefix) = json is JsonObject root && root["suppressions"] is JsonArray listed ? (listed, "suppressions") : (json as JsonArray, null);
            if (entries is null)
            {
                throw DaprErrors.AuditSuppressionFileInvalid.Raise($"{path}:{document.Line}: expected a list of suppressions (or a 'suppressions:' key holding one).", path);
            }

            for (var i = 0; i < entries.Count; i++)
            {
                var at = (prefix is null ? Array.Empty<string>() : new[] { prefix }).Append($"[{i}]").ToArray();
                var location = new ManifestLocation(name, document);
                var line = location.Locate(at).Line;
                var entry = entries[i] as JsonObject;
                var ruleId = JsonText.Of(entry?["ruleId"]) ?? JsonText.Of(entry?["rule"]);
                var reason = JsonText.Of(entry?["reason"])?.Trim();
                var expiresText = JsonText.Of(entry?["expires"]);
                DateOnly? expires = null;
                var resource = new AuditResource("Suppression", "", ruleId ?? $"entry {i + 1}") { Source = location };
                if (string.IsNullOrEmpty(ruleId))
                {
                    invalid.Add(new InvalidSuppression(resource, $"The suppression at {name}:{line} names no ruleId, so it suppresses nothing.", at));
                }
                else if (string.IsNullOrEmpty(reason))
                {
                    invalid.Add(new InvalidSuppression(resource, $"The suppression of {ruleId} at {name}:{line} has no reason, so it suppresses nothing: say why the finding is accepted.", at));
                }
                else if (expiresText is not null && !TryDate(expiresText, out expires))
                {
                    invalid.Add(new InvalidSuppression(resource, $"The suppression of {ruleId} at {name}:{line} has expires '{expiresText}', which is not a date such as 2027-03-31, so it suppresses nothing.", at.Append("expires").ToArray()));
                }
                else
                {
                    suppressions.Add(new Suppression(ruleId, JsonText.Of(entry?["namespace"]), JsonText.Of(entry?["kind"]), JsonText.Of(entry?["name"]), reason, expires, $"{name}:{line}"));
                }
            }
        }

        return new Suppressions(suppressions, invalid);
    }

    /// <summary>The suppressions an object's annotation declares, and its entries that are not valid.</summary>
    public static (IReadOnlyList<Suppression> Valid, IReadOnlyList<InvalidSuppression> Invalid) FromAnnotation(AuditResource resource)
    {
        if (!resource.Annotations.TryGetValue(Annotation, out var value))
        {
            return (Array.Empty<Suppression>(), Array.Empty<InvalidSuppression>());
        }

        var valid = new List<Suppression>();
        var invalid = new List<InvalidSuppression>();
        var at = resource.AnnotationsAt.Append(Annotation).ToArray();
        foreach (var entry in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=');
            var ruleId = (equals < 0 ? entry : entry[..equals]).Trim();
            var reason = equals < 0 ? "" : entry[(equals + 1)..].Trim();
            if (reason.Length == 0)
            {
                invalid.Add(new InvalidSuppression(resource, $"{resource.DisplayName} suppresses {ruleId} in {Annotation} without a reason, so it suppresses nothing: write {ruleId}=<why it is accepted>.", at));
                continue;
            }

            valid.Add(new Suppression(ruleId, null, null, null, reason, null, Annotation));
        }

        return (valid, invalid);
    }

    /// <summary>The file's suppressions that cover <paramref name="ruleId"/> on <paramref name="resource"/>.</summary>
    public IEnumerable<Suppression> Covering(string ruleId, AuditResource resource) => _file.Where(s => s.Covers(ruleId, resource));

    private static bool TryDate(string text, out DateOnly? date)
    {
        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        date = ok ? parsed : null;
        return ok;
    }
}
