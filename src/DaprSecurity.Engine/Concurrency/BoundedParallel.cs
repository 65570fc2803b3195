using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DaprSecurity.Engine.Concurrency;

/// <summary>
/// Runs asynchronous work over many items with at most <c>throttle</c> in flight and hands each result back
/// on the calling thread as soon as it completes. Cmdlets enumerate the result on the pipeline thread, so
/// output streams while work is still running and memory stays flat however many items there are.
/// </summary>
public static class BoundedParallel
{
    /// <summary>
    /// Streams results in completion order. <paramref name="work"/> should report per-item failures in its result; an
    /// exception it throws ends the run. A caller that stops enumerating early cancels the remaining work and waits for
    /// the work in flight to end.
    /// </summary>
    public static async IAsyncEnumerable<TResult> StreamAsync<TItem, TResult>(IEnumerable<TItem> items, int throttle, Func<TItem, CancellationToken, Task<TResult>> work, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (throttle < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throttle), throttle, "The throttle limit must be at least 1.");
        }

        // Bounded so that fast producers wait for the pipeline instead of piling up results.
        var results = Channel.CreateBounded<TResult>(new BoundedChannelOptions(throttle * 2) { SingleReader = true });
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var options = new ParallelOptions { MaxDegreeOfParallelism = throttle, CancellationToken = abandon.Token };
                    await Parallel.ForEachAsync(items, options, async (item, token) =>
                        await results.Writer.WriteAsync(await work(item, token).ConfigureAwait(false), token).ConfigureAwait(false)).ConfigureAwait(false);
                    results.Writer.Complete();
                }
                catch (Exception e)
                {
                    results.Writer.Complete(e);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            // Also when the caller stops early (a downstream error, Ctrl+C): start no more work, and return only once the
            // work in flight has ended, so callers may release what it uses (a buffer holding a token, say). The
            // producer never throws; its failures reach the reader through the channel.
            abandon.Cancel();
            await producer.ConfigureAwait(false);
        }
    }
}
