using System.Text;
using DaprSecurity.Text;

namespace DaprSecurity.Engine.DevOps;

/// <summary>
/// Azure Pipelines logging commands (<c>##vso[area.action k=v;...]message</c>). The agent looks for <c>##vso[</c>
/// anywhere in a line, so every value, including text read from the cluster, is escaped here and cannot end the
/// command early, start a second line or smuggle in a command of its own.
/// </summary>
public static class AzurePipelines
{
    /// <summary>True on an Azure Pipelines agent, which sets TF_BUILD=True for every step.</summary>
    public static bool IsActive => string.Equals(Environment.GetEnvironmentVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>##vso[task.logissue type=warning|error;code=...]message</c>: shows in the run summary.</summary>
    public static string LogIssue(bool isError, string message, string? code = null)
    {
        var properties = new List<KeyValuePair<string, string>> { new("type", isError ? "error" : "warning") };
        if (code is not null)
        {
            properties.Add(new("code", code));
        }

        return Command("task.logissue", properties, UntrustedText.Sanitize(message, UntrustedText.MaxLineLength));
    }

    /// <summary>One logging command line with escaped property values and message.</summary>
    public static string Command(string areaAction, IEnumerable<KeyValuePair<string, string>> properties, string message)
    {
        var line = new StringBuilder("##vso[").Append(areaAction);
        var separator = ' ';
        foreach (var (key, value) in properties)
        {
            line.Append(separator).Append(key).Append('=').Append(Escape(value));
            separator = ';';
        }

        return line.Append(']').Append(Escape(message)).ToString();
    }

    /// <summary>
    /// The task library's escaping (<c>%</c>, CR, LF, <c>]</c>, <c>;</c>), then any remaining <c>##vso[</c> or <c>##[</c>
    /// broken up so the agent never sees a command or formatting prefix inside the text.
    /// </summary>
    public static string Escape(string value) => value
        .Replace("%", "%AZP25", StringComparison.Ordinal)
        .Replace("\r", "%0D", StringComparison.Ordinal)
        .Replace("\n", "%0A", StringComparison.Ordinal)
        .Replace("]", "%5D", StringComparison.Ordinal)
        .Replace(";", "%3B", StringComparison.Ordinal)
        .Replace("##vso[", "# #vso[", StringComparison.OrdinalIgnoreCase)
        .Replace("##[", "# #[", StringComparison.Ordinal);
}
