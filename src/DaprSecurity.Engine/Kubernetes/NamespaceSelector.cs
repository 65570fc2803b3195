using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Text;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>The namespaces a set of names and wildcard patterns selects, and an error for each pattern that selects none.</summary>
public sealed record NamespaceSelection(IReadOnlyList<V1Namespace> Namespaces, IReadOnlyList<DaprSecurityException> Errors);

/// <summary>
/// Resolves namespace names and wildcards (<c>prod-*</c>) with a single list call, however many patterns and
/// namespaces there are. A literal name that does not exist and a wildcard that matches nothing are errors for
/// that pattern only.
/// </summary>
public sealed class NamespaceSelector
{
    private readonly ClusterConnection _cluster;

    public NamespaceSelector(ClusterConnection cluster) => _cluster = cluster;

    public async Task<NamespaceSelection> SelectAsync(IReadOnlyCollection<string> patterns, CancellationToken cancellationToken)
    {
        var all = await ListAllAsync(cancellationToken).ConfigureAwait(false);
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
                    ? new DaprSecurityException("NamespaceNotMatched", DaprErrorCategory.ObjectNotFound, $"No namespace matches '{pattern}'.", pattern)
                    : new DaprSecurityException("NamespaceNotFound", DaprErrorCategory.ObjectNotFound, $"Namespace '{pattern}' does not exist.", pattern));
            }

            selected.AddRange(matches.Where(ns => seen.Add(ns.Name())));
        }

        return new NamespaceSelection(selected, errors);
    }

    /// <summary>Every namespace, in pages of 500 as kubectl reads them.</summary>
    public Task<IReadOnlyList<V1Namespace>> ListAllAsync(CancellationToken cancellationToken)
        => Paging.ListAllAsync(
            (token, ct) => _cluster.CallAsync((c, t) => c.CoreV1.ListNamespaceAsync(continueParameter: token, limit: Paging.PageSize, cancellationToken: t), "namespaces", ct),
            page => page.Items,
            page => page.Metadata?.ContinueProperty,
            cancellationToken);
}
