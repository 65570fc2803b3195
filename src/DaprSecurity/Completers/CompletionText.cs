using System.Management.Automation;

namespace DaprSecurity.Completers;

/// <summary>What the completers share: quoting, matching the typed prefix, and paths relative to the current location.</summary>
internal static class CompletionText
{
    /// <summary>The names that start with <paramref name="wordToComplete"/>, quoted where PowerShell needs it.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> names, string wordToComplete)
    {
        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (var name in names.Where(pattern.IsMatch).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal))
        {
            var text = name.Any(ch => char.IsWhiteSpace(ch) || "'\"$`;,(){}@#".Contains(ch)) ? $"'{name.Replace("'", "''")}'" : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }

    /// <summary>
    /// The -KubeConfig the command will use: typed, or from $PSDefaultParameterValues (as the README suggests for pinning
    /// a cluster), resolved against PowerShell's current location as the cmdlet will resolve it.
    /// </summary>
    public static string? KubeConfig(string commandName, System.Collections.IDictionary fakeBoundParameters)
        => Nested(
            """
            param($command, $typed)
            $path = $typed
            if (-not $path) {
                foreach ($key in $PSDefaultParameterValues.Keys) {
                    $pattern, $parameter = "$key" -split ':', 2
                    if ($parameter -eq 'KubeConfig' -and $command -like $pattern) { $path = $PSDefaultParameterValues[$key]; break }
                }
            }
            if ($path) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath("$path") }
            """,
            commandName,
            fakeBoundParameters["KubeConfig"] as string);

    /// <summary>The -Context the command will use: typed, or from $PSDefaultParameterValues; null for the current context.</summary>
    public static string? Context(string commandName, System.Collections.IDictionary fakeBoundParameters)
        => First(fakeBoundParameters, "Context") ?? Nested(
            """
            param($command)
            foreach ($key in $PSDefaultParameterValues.Keys) {
                $pattern, $parameter = "$key" -split ':', 2
                if ($parameter -eq 'Context' -and $command -like $pattern) { @($PSDefaultParameterValues[$key])[0]; break }
            }
            """,
            commandName,
            null);

    /// <summary>Runs a short script in the user's session: completion runs inside the user's pipeline, so it needs a nested one.</summary>
    private static string? Nested(string script, string commandName, string? value)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript(script).AddArgument(commandName).AddArgument(value);
        return shell.Invoke().FirstOrDefault()?.BaseObject as string;
    }

    /// <summary>The first value of a typed parameter that takes one or several strings.</summary>
    public static string? First(System.Collections.IDictionary fakeBoundParameters, string name)
        => fakeBoundParameters[name] switch
        {
            string text => text,
            IEnumerable<object> values => values.OfType<string>().FirstOrDefault(),
            _ => null,
        };
}
