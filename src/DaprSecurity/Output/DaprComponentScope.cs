using System.Management.Automation;
using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One Dapr component and the app-ids it is scoped to, as the cluster or a manifest file has it.</summary>
public sealed class DaprComponentScope : DaprClusterObject
{
    /// <summary>The component's namespace; empty for a manifest that sets none (it goes where it is applied).</summary>
    [TableColumn(0, Width = 14)]
    public string Namespace { get; init; } = "";

    [TableColumn(1, Width = 16)]
    public string Name { get; init; } = "";

    /// <summary>spec.type, e.g. state.redis or pubsub.kafka.</summary>
    [TableColumn(2, Width = 16)]
    public string Type { get; init; } = "";

    /// <summary>spec.version, e.g. v1.</summary>
    public string Version { get; init; } = "";

    /// <summary>The app-ids in the top-level scopes list; empty means every app in the namespace can load the component.</summary>
    [TableColumn(4, Width = 21)]
    public DaprList<string> Scopes { get; init; } = Array.Empty<string>();

    /// <summary><see cref="Scopes"/> joined with ";", for Export-Csv.</summary>
    public string ScopeList => string.Join(";", Scopes);

    /// <summary>False when the component is visible to every app in its namespace.</summary>
    [TableColumn(3, Width = 8)]
    public bool IsScoped => Scopes.Count > 0;

    /// <summary>"cluster", or the manifest file and line ("deploy/components.yaml:12").</summary>
    [TableColumn(5, Wide = true)]
    public string Source { get; init; } = "";

    /// <summary>The manifest file; null for a component read from the cluster.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// <see cref="Path"/> under a name no -Path parameter has, hidden from views and CSV: a reader of the cluster binds
    /// it by property name to tell a component read from a file from one read from a cluster.
    /// </summary>
    [Hidden]
    public string? PipedManifestPath => Path;

    /// <summary>The line in <see cref="Path"/> where the component's document starts.</summary>
    public int? Line { get; init; }

    /// <summary>For pub/sub components: the topic scoping metadata; null otherwise.</summary>
    public DaprTopicRules? TopicRules { get; init; }

    /// <summary>Problems with the component's scoping (misspelled or misplaced keys, unknown app-ids), also written as warnings.</summary>
    public DaprList<DaprScopeFinding> Findings { get; init; } = Array.Empty<DaprScopeFinding>();

    /// <summary>The findings' messages joined with ";", for Export-Csv.</summary>
    public string FindingList => string.Join(";", Findings.Select(f => f.Message));

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
