using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;

namespace DaprSecurity.Completers;

/// <summary>
/// Completes -Context from the kubeconfig the command would use (honouring an already typed -KubeConfig).
/// Reads files only, never the cluster; any problem yields no completions rather than an error.
/// </summary>
public sealed class KubeContextCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var kubeConfig = fakeBoundParameters["KubeConfig"] as string;
        IReadOnlyList<string> names;
        try
        {
            names = EngineServices.Get<IClusterConnector>().GetContexts(kubeConfig).Select(c => c.Name).ToList();
        }
        catch (Exception)
        {
            // Completion must never throw at the user.
            yield break;
        }

        var pattern = new WildcardPattern(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (var name in names.Where(pattern.IsMatch))
        {
            var text = name.Any(ch => char.IsWhiteSpace(ch) || "'\"$`;,(){}@#".Contains(ch)) ? $"'{name.Replace("'", "''")}'" : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }
}
