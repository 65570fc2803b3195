using System.Runtime.CompilerServices;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>Follows a list call's continue tokens so large clusters are read in bounded pages.</summary>
public static class Paging
{
    /// <summary>The page size kubectl uses.</summary>
    public const int PageSize = 500;

    /// <summary>The first page of a list whose pages are used as they arrive: small, so its first namespace is complete sooner.</summary>
    public const int FirstPageSize = 50;

    /// <summary>
    /// The limit of a request of a list used as it arrives: <see cref="FirstPageSize"/> for its first page, then
    /// <see cref="PageSize"/> (a continued request may ask for a different limit): at most one request more per list of
    /// more than 50 items.
    /// </summary>
    public static int Limit(string? continueToken) => continueToken is null ? FirstPageSize : PageSize;

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
