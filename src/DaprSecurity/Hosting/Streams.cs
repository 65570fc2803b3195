namespace DaprSecurity.Hosting;

/// <summary>Small bridges between the engine's asynchronous streams and the module's synchronous callers.</summary>
internal static class Streams
{
    /// <summary>A synchronous sequence as a stream, so one code path consumes both (each item is produced on the consumer's thread).</summary>
    public static async IAsyncEnumerable<T> Of<T>(IEnumerable<T> items)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var item in items)
        {
            yield return item;
        }
    }

    /// <summary>Every item of <paramref name="items"/>, once the stream has ended.</summary>
    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Each item of <paramref name="items"/> mapped by <paramref name="map"/>, as it arrives.</summary>
    public static async IAsyncEnumerable<TResult> Select<T, TResult>(IAsyncEnumerable<T> items, Func<T, TResult> map)
    {
        await foreach (var item in items.ConfigureAwait(false))
        {
            yield return map(item);
        }
    }

    /// <summary>The items <paramref name="keep"/> accepts. Every item is still read: the engine does its work as its results are read (a sink's -PassThru).</summary>
    public static async IAsyncEnumerable<T> Where<T>(IAsyncEnumerable<T> items, Func<T, bool> keep)
    {
        await foreach (var item in items.ConfigureAwait(false))
        {
            if (keep(item))
            {
                yield return item;
            }
        }
    }
}
