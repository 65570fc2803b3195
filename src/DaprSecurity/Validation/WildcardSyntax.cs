using System.Text;
using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Validation;

/// <summary>
/// PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>, backtick escapes) as a case-insensitive
/// regular expression: the one translation the cmdlets check patterns with and the engine matches them with.
/// </summary>
public static class WildcardSyntax
{
    /// <summary>The pattern as a whole-string regex; a pattern that cannot be parsed is <c>WildcardPatternInvalid</c>.</summary>
    public static Regex ToRegex(string pattern)
    {
        try
        {
            return new Regex("^" + Translate(pattern) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException e)
        {
            throw DaprErrors.WildcardPatternInvalid.Raise(
                $"'{pattern}' is not a valid wildcard pattern: {Reason(e)}.",
                pattern,
                e,
                "Use * (any characters), ? (one character) and [a-z] (one of a range, in ascending order); escape a literal [ with a backtick.");
        }
    }

    /// <summary>True when the pattern contains an unescaped wildcard character.</summary>
    public static bool HasWildcards(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '`':
                    i++;
                    break;
                case '*' or '?' or '[':
                    return true;
            }
        }

        return false;
    }

    /// <summary>The characters a pattern matches literally (outside wildcards and bracket sets), to check them against a naming rule.</summary>
    public static string LiteralText(string pattern)
    {
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '`' when i + 1 < pattern.Length:
                    literal.Append(pattern[++i]);
                    break;
                case '*' or '?':
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var close and > 0:
                    i = close;
                    break;
                default:
                    literal.Append(pattern[i]);
                    break;
            }
        }

        return literal.ToString();
    }

    private static string Reason(ArgumentException e) => (e as RegexParseException)?.Error switch
    {
        RegexParseError.ReversedCharacterRange => "a [x-y] range is in reverse order",
        RegexParseError.UnterminatedBracket => "a [ set is not closed",
        RegexParseError.ShorthandClassInCharacterRange or RegexParseError.UnrecognizedEscape => "a [ set holds an escape",
        _ => "its [ ] sets cannot be read",
    };

    private static string Translate(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '`' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var close and > 0:
                    regex.Append('[').Append(pattern[(i + 1)..close].Replace("\\", "\\\\")).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(ch.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }
}
