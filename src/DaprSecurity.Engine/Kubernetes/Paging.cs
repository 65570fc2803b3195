namespace DaprSecurity.Engine.Kubernetes;

/// <summary>Follows a list call's continue tokens so large clusters are read in bounded pages.</summary>
public static class Paging
{
    /// <summary>The page size kubectl uses.</summary>
    public const int PageSize = 500;

    public static async Task<IReadOnlyList<TItem>> ListAllAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> listPage,
        Func<TPage, IList<TItem>?> items,
        Func<TPage, string?> continueToken,
        CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        string? token = null;
        do
        {
            var page = await listPage(token, cancellationToken).ConfigureAwait(false);
            all.AddRange(items(page) ?? Enumerable.Empty<TItem>());
            token = continueToken(page);
        }
        while (!string.IsNullOrEmpty(token));

        return all;
    }
}
