using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>One Dapr security fix from Data/advisories.json.</summary>
internal sealed record Advisory(string Id, string Title, IReadOnlyList<Version> FixedIn, string? Condition, string Url)
{
    /// <summary>
    /// True when <paramref name="version"/> lacks the fix: below the fixed release of its own minor line, or on a
    /// line older than every fixed one.
    /// </summary>
    public bool Affects(Version version)
    {
        var line = FixedIn.FirstOrDefault(f => f.Major == version.Major && f.Minor == version.Minor);
        return line is not null ? version < line : FixedIn.All(f => new Version(version.Major, version.Minor) < new Version(f.Major, f.Minor));
    }

    /// <summary>"CVE-2026-33186 (gRPC authorization bypass, fixed in 1.16.12 and 1.17.3)".</summary>
    public string Describe() => $"{Id} ({Title}, fixed in {string.Join(" and ", FixedIn)})";
}

/// <summary>The advisory data file, embedded in the engine: one place to add the next fix.</summary>
internal static partial class Advisories
{
    private static readonly Lazy<IReadOnlyList<Advisory>> s_all = new(Load);

    public static IReadOnlyList<Advisory> All => s_all.Value;

    /// <summary>"1.17.3" from an image tag such as "1.17.3", "v1.17.3-mariner" or "1.17.3-rc.1"; null when the tag is not a version.</summary>
    public static Version? ParseTag(string? tag)
        => tag is not null && TagPattern().Match(tag) is { Success: true } m
            ? new Version(Number(m.Groups[1]), Number(m.Groups[2]), Number(m.Groups[3]))
            : null;

    private static int Number(Group digits) => int.Parse(digits.Value, CultureInfo.InvariantCulture);

    private static IReadOnlyList<Advisory> Load()
    {
        using var stream = typeof(Advisories).Assembly.GetManifestResourceStream("DaprSecurity.Engine.Audit.Data.advisories.json")
            ?? throw new InvalidOperationException("The advisories data file is missing from the engine.");
        using var json = JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("advisories").EnumerateArray().Select(a => new Advisory(
            a.GetProperty("id").GetString()!,
            a.GetProperty("title").GetString()!,
            a.GetProperty("fixedIn").EnumerateArray().Select(v => Version.Parse(v.GetString()!)).ToList(),
            a.TryGetProperty("condition", out var condition) ? condition.GetString() : null,
            a.GetProperty("url").GetString()!)).ToList();
    }

    [GeneratedRegex(@"^v?(\d{1,4})\.(\d{1,4})\.(\d{1,6})")]
    private static partial Regex TagPattern();
}
