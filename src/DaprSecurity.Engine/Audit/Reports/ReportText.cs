using System.Globalization;
using System.Text;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// Makes cluster- or file-supplied text safe to put in a report or a CI line: control characters (ANSI escapes
/// included), line and paragraph separators and bidi overrides are written as visible <c>\xHH</c>/<c>\uHHHH</c>
/// text, line breaks become <c>\n</c>, broken UTF-16 becomes U+FFFD, and the length is bounded.
/// </summary>
internal static class ReportText
{
    /// <summary>The visible form of <paramref name="text"/>, cut after <paramref name="maxLength"/> characters.</summary>
    public static string Clean(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cut = text.Length > maxLength;
        var length = cut ? maxLength - (char.IsHighSurrogate(text[maxLength - 1]) ? 1 : 0) : text.Length;
        var clean = new StringBuilder(length + 16);
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(text[i + 1]))
                {
                    clean.Append(c).Append(text[++i]);
                }
                else
                {
                    clean.Append('\uFFFD');
                }
            }
            else if (c == '\r')
            {
                clean.Append('\n');
                if (i + 1 < length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (c == '\n' || c == '\t')
            {
                clean.Append(c);
            }
            else if (char.IsControl(c))
            {
                clean.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else if (IsInvisibleLayoutControl(c))
            {
                clean.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                clean.Append(c);
            }
        }

        if (cut)
        {
            clean.Append(CultureInfo.InvariantCulture, $"… ({text.Length - length} more characters)");
        }

        return clean.ToString();
    }

    /// <summary>Line and paragraph separators and the bidi controls that reorder what a reader sees.</summary>
    private static bool IsInvisibleLayoutControl(char c)
        => c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
