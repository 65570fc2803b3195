namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// The lines one text removed and added relative to another, the way a Git diff shows them: common leading and
/// trailing lines are skipped, the rest is matched by longest common subsequence. Line endings count as content.
/// </summary>
public sealed record LineDiff(IReadOnlyList<string> Removed, IReadOnlyList<string> Added)
{
    public static LineDiff Between(string before, string after)
    {
        var (a, b) = (Lines(before), Lines(after));
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var (x, y) = (a.Skip(prefix).Take(a.Count - prefix - suffix).ToList(), b.Skip(prefix).Take(b.Count - prefix - suffix).ToList());
        var common = new int[x.Count + 1, y.Count + 1];
        for (var i = x.Count - 1; i >= 0; i--)
        {
            for (var j = y.Count - 1; j >= 0; j--)
            {
                common[i, j] = x[i] == y[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var (removed, added) = (new List<string>(), new List<string>());
        int p = 0, q = 0;
        while (p < x.Count || q < y.Count)
        {
            if (p < x.Count && q < y.Count && x[p] == y[q])
            {
                (p, q) = (p + 1, q + 1);
            }
            else if (q < y.Count && (p == x.Count || common[p, q + 1] >= common[p + 1, q]))
            {
                added.Add(y[q++]);
            }
            else
            {
                removed.Add(x[p++]);
            }
        }

        return new LineDiff(removed, added);
    }

    /// <summary>Lines with their terminators, so a changed line ending is a changed line.</summary>
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }
}
