using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tests.Scopes;

/// <summary>Runs scope edits on manifest text through the engine service, as the cmdlets do.</summary>
internal static class ManifestEdits
{
    public static (string Text, FakeEngineHost Host, IReadOnlyList<DaprComponentScope> Results) Run(string yaml, ScopeChangeKind kind, string[] appIds, bool force = false, string name = "statestore")
    {
        using var folder = new TempFolder();
        var path = folder.Write("components.yaml", yaml);
        var host = new FakeEngineHost();
        var results = new ComponentScopeService().ChangeInManifestsAsync(new[] { path }, new[] { new ComponentQuery(null, new[] { name }) }, new ScopeChange(kind, appIds, force), host, CancellationToken.None).ToBlockingEnumerable().ToList();
        return (File.ReadAllText(path), host, results);
    }

    public static string Edit(string yaml, ScopeChangeKind kind, params string[] appIds)
    {
        var (text, host, _) = Run(yaml, kind, appIds);
        Xunit.Assert.Empty(host.Errors);
        return text;
    }
}
