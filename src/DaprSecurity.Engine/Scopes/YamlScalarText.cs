using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Writes a string as a YAML scalar in a given style, quoting a plain one only when YAML would read it as something else.</summary>
internal static partial class YamlScalarText
{
    public static string Render(string value, ScalarStyle style) => style switch
    {
        ScalarStyle.SingleQuoted => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        ScalarStyle.DoubleQuoted => DoubleQuoted(value),
        _ => NeedsQuotes(value) ? DoubleQuoted(value) : value,
    };

    /// <summary>True for text a YAML 1.1 or 1.2 reader would not read back as the same plain string (booleans, null, numbers, dates, indicators).</summary>
    private static bool NeedsQuotes(string value) => value.Length == 0 || !SafePlain().IsMatch(value) || NotAString().IsMatch(value);

    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var ch in value)
        {
            text.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => $"\\x{(int)ch:x2}",
                _ => ch.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_./-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePlain();

    [GeneratedRegex(@"^(y|yes|n|no|true|false|on|off|null|[-+]?(\d[\d_]*)?\.?\d[\d_]*([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|\d{4}-\d\d?-\d\d?.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NotAString();
}
