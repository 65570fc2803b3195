using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// The token secrets of a set of namespaces, read the cheap way: for many namespaces one cluster-wide list per secret
/// name (fieldSelector metadata.name=...), plus one for the secrets this module manages (by label); for a few
/// namespaces, or when the user may not list secrets cluster-wide, reads in each namespace.
/// </summary>
public sealed class TokenSecretIndex
{
    private const int FewNamespaces = 4;
    private const int ReadConcurrency = 8;

    private static readonly string ManagedSelector = $"{TokenSecretMetadata.ManagedByLabel}={TokenSecretMetadata.ManagedByValue}";

    private readonly Dictionary<(string Namespace, string Name), V1Secret> _secrets;

    private TokenSecretIndex(IEnumerable<V1Secret> secrets)
        => _secrets = secrets.GroupBy(s => (s.Namespace(), s.Name())).ToDictionary(g => g.Key, g => g.First());

    /// <summary>An index of no secrets, to <see cref="Merge"/> into.</summary>
    public static TokenSecretIndex Empty { get; } = new(Array.Empty<V1Secret>());

    /// <summary>This index and <paramref name="other"/> together (read for other names, say).</summary>
    public TokenSecretIndex Merge(TokenSecretIndex other) => new(_secrets.Values.Concat(other._secrets.Values));

    public V1Secret? Find(string @namespace, string name) => _secrets.GetValueOrDefault((@namespace, name));

    /// <summary>Every secret read in <paramref name="namespace"/>.</summary>
    public IEnumerable<V1Secret> In(string @namespace) => _secrets.Where(s => s.Key.Namespace == @namespace).Select(s => s.Value);

    /// <summary>Reads the secrets called <paramref name="names"/>, and with <paramref name="includeManaged"/> those labelled as ours, in <paramref name="namespaces"/>.</summary>
    public static Task<TokenSecretIndex> LoadAsync(ClusterConnection cluster, IEnumerable<string> names, IReadOnlyCollection<string> namespaces, bool includeManaged, CancellationToken cancellationToken)
        => LoadAsync(cluster, names, Task.FromResult<IReadOnlyList<string>>(namespaces.ToList()), includeManaged, cancellationToken);

    /// <summary>
    /// Reads the secrets of <see cref="LoadAsync(ClusterConnection, IEnumerable{string}, IReadOnlyCollection{string}, bool, CancellationToken)"/>
    /// in namespaces that may still be being selected: those are expected to be many, so the cluster-wide lists start
    /// at once rather than after the namespace list.
    /// </summary>
    public static async Task<TokenSecretIndex> LoadAsync(ClusterConnection cluster, IEnumerable<string> names, Task<IReadOnlyList<string>> namespaces, bool includeManaged, CancellationToken cancellationToken)
    {
        var wanted = names.Distinct(StringComparer.Ordinal).ToList();
        var known = namespaces.IsCompletedSuccessfully ? namespaces.Result.ToHashSet(StringComparer.Ordinal) : null;
        if (known is { Count: 0 })
        {
            return Empty;
        }

        var clusterWide = known is null || known.Count > FewNamespaces
            ? ClusterWideAsync(cluster, wanted, includeManaged, cancellationToken)
            : Task.FromResult<IReadOnlyList<V1Secret>?>(null);
        await Task.WhenAll(clusterWide, namespaces).ConfigureAwait(false); // both observed, whichever fails
        var inScope = known ?? (await namespaces.ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var found = await clusterWide.ConfigureAwait(false)
            ?? await PerNamespaceAsync(cluster, wanted, inScope, includeManaged, cancellationToken).ConfigureAwait(false);
        return new TokenSecretIndex(found.Where(s => inScope.Contains(s.Namespace())));
    }

    /// <summary>One list per name (and one for the label) across all namespaces; null when the user may not list cluster-wide.</summary>
    private static async Task<IReadOnlyList<V1Secret>?> ClusterWideAsync(ClusterConnection cluster, IReadOnlyList<string> names, bool includeManaged, CancellationToken cancellationToken)
    {
        var selectors = names.Select(n => (Field: (string?)$"metadata.name={n}", Label: (string?)null)).ToList();
        if (includeManaged)
        {
            selectors.Add((Field: null, Label: ManagedSelector));
        }

        try
        {
            var lists = await Task.WhenAll(selectors.Select(s => Paging.ListAllAsync(
                (token, ct) => cluster.CallAsync(
                    (c, t) => c.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: s.Field, labelSelector: s.Label, continueParameter: token, limit: Paging.PageSize, cancellationToken: t),
                    "secrets in all namespaces",
                    ct),
                page => page.Items,
                page => page.Metadata?.ContinueProperty,
                cancellationToken))).ConfigureAwait(false);
            return lists.SelectMany(l => l).ToList();
        }
        catch (DaprSecurityException forbidden) when (forbidden.Is(DaprErrors.KubeApiForbidden))
        {
            return null;
        }
    }

    private static async Task<IReadOnlyList<V1Secret>> PerNamespaceAsync(ClusterConnection cluster, IReadOnlyList<string> names, IReadOnlyCollection<string> namespaces, bool includeManaged, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<V1Secret>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(namespaces, options, async (ns, ct) =>
        {
            foreach (var name in names)
            {
                if (await cluster.GetOrNullAsync((c, t) => c.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: t), $"secret {ns}/{name}", ct).ConfigureAwait(false) is { } secret)
                {
                    found.Add(secret);
                }
            }

            if (includeManaged)
            {
                var managed = await cluster.CallAsync(
                    (c, t) => c.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: ManagedSelector, cancellationToken: t),
                    $"secrets in namespace {ns}",
                    ct).ConfigureAwait(false);
                foreach (var secret in managed.Items)
                {
                    found.Add(secret);
                }
            }
        }).ConfigureAwait(false);
        return found.ToList();
    }
}
