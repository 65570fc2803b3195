using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Objects of one kind grouped by namespace, for work that learns its namespaces one at a time (pipeline input).
/// The first request reads them with one cluster-wide list, which stays cheap however many namespaces follow; a user
/// who may not list cluster-wide gets one namespaced list per namespace asked for instead. Not thread-safe: use it
/// from one caller at a time (the pipeline's inputs come one by one).
/// </summary>
public sealed class NamespacedLookup<T>
{
    private readonly Func<string?, CancellationToken, Task<IReadOnlyList<T>>> _list;
    private readonly Func<T, string> _namespaceOf;
    private ILookup<string, T>? _clusterWide;
    private Dictionary<string, IReadOnlyList<T>>? _perNamespace;

    /// <param name="list">Lists the objects of one namespace, or of all namespaces when given null.</param>
    /// <param name="namespaceOf">The namespace of an object.</param>
    public NamespacedLookup(Func<string?, CancellationToken, Task<IReadOnlyList<T>>> list, Func<T, string> namespaceOf)
    {
        _list = list;
        _namespaceOf = namespaceOf;
    }

    public async Task<IReadOnlyList<T>> InAsync(string @namespace, CancellationToken cancellationToken)
    {
        if (_clusterWide is null && _perNamespace is null)
        {
            try
            {
                _clusterWide = (await _list(null, cancellationToken).ConfigureAwait(false)).ToLookup(_namespaceOf, StringComparer.Ordinal);
            }
            catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
            {
                _perNamespace = new Dictionary<string, IReadOnlyList<T>>(StringComparer.Ordinal);
            }
        }

        if (_clusterWide is not null)
        {
            return _clusterWide[@namespace].ToList();
        }

        if (!_perNamespace!.TryGetValue(@namespace, out var items))
        {
            _perNamespace[@namespace] = items = await _list(@namespace, cancellationToken).ConfigureAwait(false);
        }

        return items;
    }
}
