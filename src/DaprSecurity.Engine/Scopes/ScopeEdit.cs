using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// The intended change to a scopes list, kept as app-ids to add and to remove relative to the list the user saw.
/// Re-applied to a list someone changed in the meantime, it keeps their additions and removals (a three-way merge),
/// so a concurrent edit is never lost, not even under Set.
/// </summary>
internal sealed class ScopeEdit
{
    private readonly IReadOnlyList<string> _adds;
    private readonly HashSet<string> _removes;

    private ScopeEdit(ScopeChange change, IReadOnlyList<string> adds, IEnumerable<string> removes)
    {
        Change = change;
        _adds = adds;
        _removes = new HashSet<string>(removes, StringComparer.Ordinal);
    }

    public ScopeChange Change { get; }

    /// <summary>Resolves <paramref name="change"/> against the scopes as first read.</summary>
    public static ScopeEdit Resolve(ScopeChange change, IReadOnlyList<string> original)
    {
        var appIds = change.AppIds.Distinct(StringComparer.Ordinal).ToList();
        return change.Kind switch
        {
            ScopeChangeKind.Set => new ScopeEdit(change, appIds.Except(original, StringComparer.Ordinal).ToList(), original.Except(appIds, StringComparer.Ordinal)),
            ScopeChangeKind.Add => new ScopeEdit(change, appIds, Array.Empty<string>()),
            ScopeChangeKind.Remove => new ScopeEdit(change, Array.Empty<string>(), appIds),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, null),
        };
    }

    /// <summary>The list after the edit: kept entries in their order (duplicates dropped), then the new ones.</summary>
    public IReadOnlyList<string> ApplyTo(IReadOnlyList<string> current)
    {
        var kept = current.Where(a => !_removes.Contains(a)).Distinct(StringComparer.Ordinal).ToList();
        return kept.Concat(_adds.Where(a => !kept.Contains(a, StringComparer.Ordinal))).ToList();
    }

    /// <summary>Refuses to leave a scoped component unscoped (visible to every app) unless forced.</summary>
    public void CheckNotUnscoping(string component, IReadOnlyList<string> current, IReadOnlyList<string> result)
    {
        if (current.Count > 0 && result.Count == 0 && !Change.Force)
        {
            throw DaprErrors.ComponentScopeWouldUnscope.Raise($"Removing the last scope of component '{component}' would make it visible to every app in its namespace; nothing was changed.",
                component,
                recommendedAction: "Pass -Force to unscope it on purpose, or use Set-DaprComponentScope with the app-ids that should keep access.");
        }
    }

    /// <summary>What the edit does, for ShouldProcess and verbose output.</summary>
    public static string Describe(IReadOnlyList<string> current, IReadOnlyList<string> result)
        => $"Set scopes to {List(result)} (currently {List(current)})";

    public static string List(IReadOnlyList<string> scopes)
        => scopes.Count == 0 ? "none: every app in the namespace" : string.Join(", ", scopes);
}
