using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// Matches components against the namespace and name patterns of a query and remembers which literal names
/// matched, so that a name without wildcards that matches nothing is an error and a pattern that matches nothing is not.
/// </summary>
internal sealed class ComponentSelection
{
    private readonly IReadOnlyList<Wildcard>? _namespaces;
    private readonly IReadOnlyList<Wildcard>? _names;
    private readonly HashSet<string> _matched = new(StringComparer.OrdinalIgnoreCase);

    public ComponentSelection(ComponentQuery query)
    {
        _namespaces = query.Namespaces?.Select(p => new Wildcard(p)).ToList();
        _names = query.Names?.Select(p => new Wildcard(p)).ToList();
    }

    public bool Matches(ComponentDocument component)
    {
        if (_namespaces is not null && !_namespaces.Any(n => n.IsMatch(component.Namespace)))
        {
            return false;
        }

        if (_names is null)
        {
            return true;
        }

        var matching = _names.Where(n => n.IsMatch(component.Name)).ToList();
        _matched.UnionWith(matching.Select(n => n.Pattern));
        return matching.Count > 0;
    }

    /// <summary>One ComponentNotFound error per name or wildcard that matched no component; <paramref name="where"/> says where it was looked for.</summary>
    public IEnumerable<DaprSecurityException> NotFound(string where)
        => (_names ?? Array.Empty<Wildcard>())
            .Where(n => !_matched.Contains(n.Pattern))
            .Select(n => DaprErrors.ComponentNotFound.Raise($"No component {(Wildcard.HasWildcards(n.Pattern) ? "matches" : "named")} '{n.Pattern}' in {where}.", n.Pattern));
}
