using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Scopes;

/// <summary>Builds the cmdlets' view of a component, and runs per-component work so that one failure does not stop the rest.</summary>
internal static class ScopeOutput
{
    public static DaprComponentScope FromCluster(ComponentDocument component, string context, IReadOnlyList<DaprScopeFinding> findings)
        => Build(component, "cluster", context, null, null, findings);

    public static DaprComponentScope FromManifest(ComponentDocument component, ManifestFile file, ManifestDocument document, IReadOnlyList<DaprScopeFinding> findings)
        => Build(component, $"{file.Path}:{document.Line}", null, file.Path, document.Line, findings);

    /// <summary>Line numbers of keys and list items in a manifest document, for findings.</summary>
    public static LineLocator LinesOf(ManifestDocument document) => (keyPath, item) =>
    {
        var entry = document.Root?.Find(keyPath);
        return item is { } index && entry?.Value.Item(index) is { } node ? node.Line : entry?.Key.Line;
    };

    public static int? NoLines(IReadOnlyList<string> keyPath, int? item) => null;

    /// <summary>Writes every finding as a warning and returns them.</summary>
    public static IReadOnlyList<DaprScopeFinding> Warn(IReadOnlyList<DaprScopeFinding> findings, IEngineHost host)
    {
        foreach (var finding in findings)
        {
            host.WriteWarning(finding.Message);
        }

        return findings;
    }

    /// <summary>Runs <paramref name="work"/>; a DaprSecurityException becomes a non-terminating error and null.</summary>
    public static T? OrError<T>(IEngineHost host, Func<T?> work)
        where T : class
    {
        try
        {
            return work();
        }
        catch (DaprSecurityException e)
        {
            host.WriteError(e);
            return null;
        }
    }

    /// <inheritdoc cref="OrError{T}(IEngineHost, Func{T})"/>
    public static async Task<T?> OrErrorAsync<T>(IEngineHost host, Func<Task<T?>> work)
        where T : class
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (DaprSecurityException e)
        {
            host.WriteError(e);
            return null;
        }
    }

    private static DaprComponentScope Build(ComponentDocument component, string source, string? context, string? path, int? line, IReadOnlyList<DaprScopeFinding> findings) => new()
    {
        Namespace = component.Namespace,
        Name = component.Name,
        Type = component.Type,
        Version = component.Version,
        Scopes = component.Scopes.ToArray(),
        Source = source,
        Context = context,
        Path = path,
        Line = line,
        TopicRules = PubSubTopicRules.From(component)?.ToOutput(),
        Findings = findings.ToArray(),
    };
}
