using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaprSecurity.KubeApiServer.Http;

namespace DaprSecurity.KubeApiServer.Selectors;

/// <summary>
/// A parsed <c>labelSelector</c>: comma-separated requirements, all of which must hold
/// (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>).
/// </summary>
public sealed partial class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    public bool IsEmpty => _requirements.Count == 0;

    /// <exception cref="ApiException">400 when the selector does not parse.</exception>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var requirement in SplitRequirements(text ?? ""))
        {
            selector._requirements.Add(ParseRequirement(requirement));
        }
        return selector;
    }

    /// <summary>Whether an object's <c>metadata.labels</c> (possibly absent) satisfies the selector.</summary>
    public bool Matches(JsonObject? labels) => _requirements.TrueForAll(requirement => requirement(labels));

    private static Func<JsonObject?, bool> ParseRequirement(string text)
    {
        if (SetRequirement().Match(text) is { Success: true } set)
        {
            var key = ValidKey(set.Groups["key"].Value, text);
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return set.Groups["op"].Value == "in"
                ? labels => Value(labels, key) is { } v && values.Contains(v)
                : labels => Value(labels, key) is not { } v || !values.Contains(v);
        }
        if (text.StartsWith('!'))
        {
            var key = ValidKey(text[1..].Trim(), text);
            return labels => Value(labels, key) is null;
        }
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = ValidKey(text[..at].Trim(), text);
                var value = text[(at + op.Length)..].Trim();
                return negate ? labels => Value(labels, key) != value : labels => Value(labels, key) == value;
            }
        }
        var existsKey = ValidKey(text, text);
        return labels => Value(labels, existsKey) is not null;
    }

    private static string? Value(JsonObject? labels, string key) =>
        labels is not null && labels.TryGetPropertyValue(key, out var value) ? value?.ToString() : null;

    private static string ValidKey(string key, string requirement) =>
        LabelKey().IsMatch(key) ? key : throw StatusResponses.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in \"{requirement}\"");

    /// <summary>Splits at commas that are not inside an <c>in (...)</c> value list.</summary>
    private static IEnumerable<string> SplitRequirements(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }
                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }

    [GeneratedRegex(@"^(?<key>\S+)\s+(?<op>in|notin)\s*\((?<values>[^)]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();
}
