using System.Text;

namespace DaprSecurity.Engine.DevOps;

/// <summary>
/// GitHub Actions workflow commands (<c>::command key=value,key=value::message</c>). The runner reads a command only
/// at the start of a line, so escaping CR and LF keeps any text inside one line; <c>:</c> and <c>,</c> are escaped
/// too in property values so a value cannot end the property list early.
/// </summary>
public static class GitHubActions
{
    /// <summary>One workflow command line with escaped property values and message.</summary>
    public static string Command(string command, IEnumerable<KeyValuePair<string, string>> properties, string message)
    {
        var line = new StringBuilder("::").Append(command);
        var separator = ' ';
        foreach (var (key, value) in properties)
        {
            line.Append(separator).Append(key).Append('=').Append(EscapeProperty(value));
            separator = ',';
        }

        return line.Append("::").Append(EscapeData(message)).ToString();
    }

    /// <summary>The runner's message escaping: <c>%</c>, CR and LF.</summary>
    public static string EscapeData(string value) => value
        .Replace("%", "%25", StringComparison.Ordinal)
        .Replace("\r", "%0D", StringComparison.Ordinal)
        .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>The runner's property escaping: the message escaping plus <c>:</c> and <c>,</c>.</summary>
    public static string EscapeProperty(string value) => EscapeData(value)
        .Replace(":", "%3A", StringComparison.Ordinal)
        .Replace(",", "%2C", StringComparison.Ordinal);
}
