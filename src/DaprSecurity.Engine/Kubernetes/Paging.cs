using System.Runtime.CompilerServices;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>Follows a list call's continue tokens so large clusters are read in bounded pages.</summary>
public static class Paging
{
    /// <summary>The page size kubectl uses.</summary>
    public const int PageSize = 500;

    /// <summary>Each page's items as it arrives, so a caller can use (and drop) them before the next page is read.</summary>
    public static async IAsyncEnumerable<IList<TItem>> PagesAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> listPage,
        Func<TPage, IList<TItem>?> items,
        Func<TPage, string?> continueToken,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await listPage(token, cancellationToken).ConfigureAwait(false);
            yield return items(page) ?? Array.Empty<TItem>();
            token = continueToken(page);
        }
        while (!string.IsNullOrEmpty(token));
    }

    public static Task<IReadOnlyList<TItem>> ListAllAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> listPage,
        Func<TPage, IList<TItem>?> items,
        Func<TPage, string?> continueToken,
        CancellationToken cancellationToken)
        => CollectAsync(PagesAsync(listPage, items, continueToken, cancellationToken));

    /// <summary>Every item of every page.</summary>
    public static async Task<IReadOnlyList<TItem>> CollectAsync<TItem>(IAsyncEnumerable<IList<TItem>> pages)
    {
        var all = new List<TItem>();
        await foreach (var page in pages.ConfigureAwait(false))
        {
            all.AddRange(page);
        }

        return all;
    }
}
