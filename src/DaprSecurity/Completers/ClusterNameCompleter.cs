using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Hosting;

namespace DaprSecurity.Completers;

/// <summary>
/// Base of the completers that offer names read from the cluster of the typed (or default) -Context and -KubeConfig.
/// A slow cluster never freezes the console: the read gets two seconds, after which nothing is offered (the answer
/// still fills the cache for the next Tab); answers are kept for a minute per session. Any problem offers nothing.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    /// <summary>The session's answers: PowerShell creates a completer per Tab, so they outlive it.</summary>
    internal static CompletionCache SessionCache { get; } = new(TimeProvider.System, TimeSpan.FromMinutes(1));

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var target = new ClusterTarget(CompletionText.KubeConfig(commandName, fakeBoundParameters), CompletionText.Context(commandName, fakeBoundParameters));
            var ns = CompletionText.First(fakeBoundParameters, "Namespace") ?? "*";
            var key = $"{GetType().Name}|{target.KubeConfig}|{target.Context}|{ns}";
            var names = SessionCache.Get(key, () => Read(target, ns));
            return names.Wait(s_timeout) ? CompletionText.Matching(names.Result, wordToComplete).ToList() : Array.Empty<CompletionResult>();
        }
        catch (Exception)
        {
            // Completion must never throw at the user.
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The names to offer, read from <paramref name="cluster"/> in the namespaces <paramref name="ns"/> selects.</summary>
    private protected abstract IAsyncEnumerable<string> Names(IClusterConnection cluster, string ns, IEngineHost host);

    private Task<IReadOnlyList<string>> Read(ClusterTarget target, string ns) => Task.Run<IReadOnlyList<string>>(async () =>
    {
        using var host = new CompletionHost(SessionCache.Clock);
        var cluster = EngineServices.Get<IClusterConnector>().Connect(target);
        return await Streams.ToListAsync(Names(cluster, ns, host)).ConfigureAwait(false);
    });
}
