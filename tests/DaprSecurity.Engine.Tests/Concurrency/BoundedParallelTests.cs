using DaprSecurity.Engine.Concurrency;
using Xunit;

namespace DaprSecurity.Engine.Tests.Concurrency;

public sealed class BoundedParallelTests
{
    /// <summary>The stream read synchronously, so a test steps through it one result at a time.</summary>
    private static IEnumerable<TResult> StreamBlocking<TItem, TResult>(IEnumerable<TItem> items, int throttle, Func<TItem, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
        => BoundedParallel.StreamAsync(items, throttle, work, cancellationToken).ToBlockingEnumerable(cancellationToken);

    [Fact]
    public void Never_runs_more_than_the_throttle_at_once_and_returns_every_result()
    {
        var running = 0;
        var peak = 0;
        var throttleReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var results = StreamBlocking(Enumerable.Range(0, 40), 4, async (i, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (now == 4)
            {
                throttleReached.TrySetResult();
            }

            // The first items hold their slot until four run at once, so a fifth would start beside them if it could.
            await throttleReached.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
            Interlocked.Decrement(ref running);
            return i * 2;
        }, CancellationToken.None).ToList();

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2).Order(), results.Order());
        Assert.Equal(4, peak);
    }

    [Fact]
    public void Yields_the_first_result_while_later_items_are_still_running()
    {
        using var release = new ManualResetEventSlim();
        var results = StreamBlocking(new[] { 0, 1 }, 2, async (i, token) =>
        {
            if (i == 1)
            {
                await Task.Run(() => release.Wait(token), token);
            }

            return i;
        }, CancellationToken.None);

        using var enumerator = results.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Equal(0, enumerator.Current);
        release.Set();
        Assert.True(enumerator.MoveNext());
        Assert.Equal(1, enumerator.Current);
    }

    [Fact]
    public void An_exception_in_the_work_surfaces_to_the_caller()
    {
        var results = StreamBlocking<int, int>(new[] { 1 }, 1, (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => results.ToList());
    }

    [Fact]
    public void Stopping_early_cancels_the_remaining_work_and_waits_for_the_work_in_flight()
    {
        var started = 0;
        var running = 0;
        var results = StreamBlocking(Enumerable.Range(0, 1000), 4, async (i, token) =>
        {
            Interlocked.Increment(ref started);
            Interlocked.Increment(ref running);
            try
            {
                if (i != 0)
                {
                    // In flight until the stop cancels it; the caller must wait for it to end.
                    await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }

                return i;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, CancellationToken.None);

        using (var enumerator = results.GetEnumerator())
        {
            Assert.True(enumerator.MoveNext());
        }

        // Disposing returned only after the work in flight ended, and no item started after it: the run is over.
        Assert.Equal(0, Volatile.Read(ref running));
        Assert.InRange(Volatile.Read(ref started), 1, 5);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
