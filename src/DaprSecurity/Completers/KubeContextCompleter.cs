using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;

namespace DaprSecurity.Completers;

/// <summary>
/// Completes -Context from the kubeconfig the command would use (honouring an already typed -KubeConfig, relative to
/// the current location). Reads files only, never the cluster; any problem yields no completions rather than an error.
/// </summary>
public sealed class KubeContextCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var names = EngineServices.Get<IClusterConnector>().GetContexts(CompletionText.KubeConfig(commandName, fakeBoundParameters)).Select(c => c.Name).ToList();
            return CompletionText.Matching(names, wordToComplete).ToList();
        }
        catch (Exception)
        {
            // Completion must never throw at the user.
            return Array.Empty<CompletionResult>();
        }
    }
}
