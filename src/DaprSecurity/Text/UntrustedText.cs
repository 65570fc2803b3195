using System.Globalization;
using System.Text;

namespace DaprSecurity.Text;

/// <summary>
/// Makes text that came from a cluster or a file safe to show: in a message, a warning, verbose, debug or progress
/// line, a table or list view, WhatIf text, or an Azure Pipelines / GitHub Actions log. Control characters (C0, DEL,
/// C1, line and paragraph separators, bidirectional overrides) are shown escaped (<c>\n</c>, <c>\e</c>, <c>\x07</c>,
/// <c>\u202E</c>), the log command openers <c>##vso[</c>, <c>##[</c> and <c>::</c> are broken up (<c>\#\#vso[</c>,
/// <c>:\:</c>), and long text is cut with an ellipsis and its full length. Output objects keep the raw values; only
/// what is displayed goes through here.
/// </summary>
public static class UntrustedText
{
    /// <summary>The longest single value shown.</summary>
    public const int MaxLength = 256;

    /// <summary>The longest line of a whole message (which may hold several values) shown.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>One value on one line: every line break is escaped, the result is at most <paramref name="maxLength"/> characters plus the length note.</summary>
    public static string Sanitize(string? text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        if (IsPlain(text) && text.Length <= maxLength)
        {
            return text;
        }

        var shown = new StringBuilder(Math.Min(text.Length, maxLength) + 32);
        for (var i = 0; i < text.Length; i++)
        {
            if (shown.Length >= maxLength)
            {
                return shown.Append(CultureInfo.InvariantCulture, $"… ({text.Length} characters)").ToString();
            }

            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (Escape(c) is { } escaped)
            {
                shown.Append(escaped);
            }
            else if (c == '#' && next == '#' && (At(text, i + 2, "vso[") || At(text, i + 2, "[")))
            {
                shown.Append(@"\#\#");
                i++;
            }
            else if (c == ':' && next == ':')
            {
                shown.Append(@":\:");
                i++;
            }
            else if (char.IsHighSurrogate(c) && char.IsLowSurrogate(next))
            {
                shown.Append(c).Append(next);
                i++;
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.ToString();
    }

    /// <summary>
    /// A whole message: its own line breaks are kept, each line is sanitized as a value (at most
    /// <see cref="MaxLineLength"/> characters), so no line can carry a live log command or a terminal escape.
    /// </summary>
    public static string SanitizeMessage(string? message)
        => message is null ? "" : string.Join('\n', message.Split('\n').Select(line => Sanitize(line.TrimEnd('\r'), MaxLineLength)));

    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (c is '#' or ':' || Escape(c) is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static string? Escape(char c) => c switch
    {
        '\n' => @"\n",
        '\r' => @"\r",
        '\t' => @"\t",
        '\x1b' => @"\e",
        < ' ' or '\x7f' => $@"\x{(int)c:x2}",
        >= '\x80' and <= '\x9f' => $@"\x{(int)c:x2}",
        '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f' or '\u061c' => $@"\u{(int)c:x4}",
        _ => null,
    };

    private static bool At(string text, int index, string expected)
        => index + expected.Length <= text.Length && string.Compare(text, index, expected, 0, expected.Length, StringComparison.OrdinalIgnoreCase) == 0;
}
