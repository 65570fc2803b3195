using System.Globalization;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// Progressive delivery over namespaces: a canary alone first, then waves that grow, then the rest, so that a bad token
/// or bundle stops after a few namespaces instead of taking all of them down. Wave sizes are counts ("5") or shares of
/// all namespaces ("25%", rounded up); every wave has at least one namespace.
/// </summary>
public static class RolloutWaves
{
    /// <summary>The waves after the canary when none are given: one namespace, then 5%, then 25%, then the rest.</summary>
    public static IReadOnlyList<string> Default { get; } = new[] { "1", "5%", "25%" };

    /// <summary>
    /// Splits <paramref name="namespaces"/> (in the order given) into waves: the canary (the namespaces matching
    /// <paramref name="canary"/>, or else the first namespace), then one wave per entry of <paramref name="waves"/>, then the rest.
    /// A canary that matches only namespaces in <paramref name="alreadyDone"/> (a run resumed after its canary rolled out)
    /// gives way to the first namespace; one that matches none at all is an error.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Split(IReadOnlyList<string> namespaces, IReadOnlyList<string>? canary, IReadOnlyList<string>? waves, IReadOnlyCollection<string>? alreadyDone = null)
    {
        if (namespaces.Count == 0)
        {
            return Array.Empty<IReadOnlyList<string>>();
        }

        var first = FirstWave(namespaces, canary, alreadyDone ?? Array.Empty<string>());
        var result = new List<IReadOnlyList<string>> { first };
        var rest = namespaces.Except(first, StringComparer.Ordinal).ToList();
        foreach (var size in waves ?? Default)
        {
            if (rest.Count == 0)
            {
                break;
            }

            var take = Math.Min(rest.Count, Size(size, namespaces.Count));
            result.Add(rest.Take(take).ToList());
            rest = rest.Skip(take).ToList();
        }

        if (rest.Count > 0)
        {
            result.Add(rest);
        }

        return result;
    }

    /// <summary>A few words naming a wave's namespaces, for progress, WhatIf and the summary of what was and was not done.</summary>
    public static string Describe(IReadOnlyList<string> wave)
        => wave.Count == 1 ? $"namespace {wave[0]}"
            : wave.Count <= 5 ? $"namespaces {string.Join(", ", wave)}"
            : $"{wave.Count} namespaces ({string.Join(", ", wave.Take(3))}, ...)";

    private static IReadOnlyList<string> FirstWave(IReadOnlyList<string> namespaces, IReadOnlyList<string>? canary, IReadOnlyCollection<string> alreadyDone)
    {
        if (canary is not { Count: > 0 })
        {
            return new[] { namespaces[0] };
        }

        var patterns = canary.Select(c => new Wildcard(c)).ToList();
        var chosen = namespaces.Where(ns => patterns.Any(p => p.IsMatch(ns))).ToList();
        if (chosen.Count == 0 && alreadyDone.Any(ns => patterns.Any(p => p.IsMatch(ns))))
        {
            return new[] { namespaces[0] };
        }

        if (chosen.Count == 0)
        {
            throw DaprErrors.NamespaceNotMatched.Raise(
                $"-Canary {string.Join(", ", canary)} matches none of the namespaces to restart ({Describe(namespaces)}); nothing was restarted.",
                string.Join(",", canary),
                recommendedAction: "Name a canary among the namespaces being restarted, or leave -Canary out to use the first one.");
        }

        return chosen;
    }

    private static int Size(string size, int total)
    {
        var percent = size.EndsWith('%');
        var number = int.Parse(percent ? size[..^1] : size, NumberStyles.None, CultureInfo.InvariantCulture);
        return Math.Max(1, percent ? (int)Math.Ceiling(total * number / 100.0) : number);
    }
}
