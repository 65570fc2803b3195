using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Text;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Resolves namespace names and wildcards (<c>prod-*</c>) with a single list call, however many patterns and
/// namespaces there are (the list is read once per selector). A literal name that does not exist and a wildcard that
/// matches nothing are errors for that pattern only. A user whose rights end at their namespaces may not list
/// namespaces: then, like <c>kubectl -n</c>, literal names are taken on trust (the requests that follow say whether
/// each is usable) and only wildcards, which cannot be expanded, are errors.
/// </summary>
public sealed class NamespaceSelector
{
    private readonly ClusterConnection _cluster;
    private IReadOnlyList<V1Namespace>? _all;
    private bool _listForbidden;

    public NamespaceSelector(ClusterConnection cluster) => _cluster = cluster;

    /// <summary>True when <paramref name="patterns"/> may select several namespaces (a wildcard, or more than one name).</summary>
    public static bool MaySelectMany(IReadOnlyCollection<string> patterns) => patterns.Count > 1 || patterns.Any(Wildcard.HasWildcards);

    /// <summary>The namespaces <paramref name="patterns"/> select and, apart, an error for each pattern that selects none.</summary>
    public async Task<NamespaceSelection> SelectAsync(IReadOnlyCollection<string> patterns, CancellationToken cancellationToken)
    {
        if (_all is null && !_listForbidden)
        {
            try
            {
                _all = await ListAllAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
            {
                _listForbidden = true;
            }
        }

        return _all is not null ? Select(_all, patterns) : TakeOnTrust(patterns);
    }

    /// <summary>
    /// The namespaces <paramref name="patterns"/> select; each pattern that selects none is written as an error for that
    /// pattern alone, and the command goes on with the others. This is how every command selects namespaces.
    /// </summary>
    public Task<IReadOnlyList<V1Namespace>> SelectAsync(IReadOnlyCollection<string> patterns, IEngineHost host)
        => SelectAsync(patterns, host, host.CancellationToken);

    /// <inheritdoc cref="SelectAsync(IReadOnlyCollection{string}, IEngineHost)"/>
    public async Task<IReadOnlyList<V1Namespace>> SelectAsync(IReadOnlyCollection<string> patterns, IEngineHost host, CancellationToken cancellationToken)
    {
        var selection = await SelectAsync(patterns, cancellationToken).ConfigureAwait(false);
        foreach (var error in selection.Errors)
        {
            host.WriteError(error);
        }

        return selection.Namespaces;
    }

    /// <summary>Every namespace, in pages of 500 as kubectl reads them.</summary>
    private Task<IReadOnlyList<V1Namespace>> ListAllAsync(CancellationToken cancellationToken)
        => Paging.ListAllAsync(
            (token, ct) => _cluster.CallAsync((c, t) => c.CoreV1.ListNamespaceAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t), "namespaces", ct),
            page => page.Items,
            page => page.Metadata?.ContinueProperty,
            cancellationToken);

    private static NamespaceSelection Select(IReadOnlyList<V1Namespace> all, IReadOnlyCollection<string> patterns)
    {
        var selected = new List<V1Namespace>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<DaprSecurityException>();
        foreach (var pattern in patterns)
        {
            var wildcard = new Wildcard(pattern);
            var matches = all.Where(ns => wildcard.IsMatch(ns.Name())).ToList();
            if (matches.Count == 0)
            {
                errors.Add(Wildcard.HasWildcards(pattern)
                    ? DaprErrors.NamespaceNotMatched.Raise($"No namespace matches '{pattern}'.", pattern)
                    : DaprErrors.NamespaceNotFound.Raise($"Namespace '{pattern}' does not exist.", pattern));
            }

            selected.AddRange(matches.Where(ns => seen.Add(ns.Name())));
        }

        return new NamespaceSelection(selected, errors);
    }

    private static NamespaceSelection TakeOnTrust(IReadOnlyCollection<string> patterns)
    {
        var literal = patterns.Where(p => !Wildcard.HasWildcards(p)).Distinct(StringComparer.Ordinal)
            .Select(name => new V1Namespace { Metadata = new V1ObjectMeta { Name = name } })
            .ToList();
        var errors = patterns.Where(Wildcard.HasWildcards)
            .Select(pattern => DaprErrors.NamespaceListForbidden.Raise($"Cannot expand '{pattern}': you may not list namespaces in this cluster.",
                pattern,
                recommendedAction: "Name the namespaces exactly (no wildcards), or ask for permission to list namespaces."))
            .ToList();
        return new NamespaceSelection(literal, errors);
    }
}
