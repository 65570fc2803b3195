using DaprSecurity.Engine.Concurrency;
using Xunit;

namespace DaprSecurity.Engine.Tests.Concurrency;

public sealed class BoundedParallelTests
{
    [Fact]
    public void Never_runs_more_than_the_throttle_at_once_and_returns_every_result()
    {
        var running = 0;
        var peak = 0;

        var results = BoundedParallel.Stream(Enumerable.Range(0, 40), 4, async (i, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(5, token);
            Interlocked.Decrement(ref running);
            return i * 2;
        }, CancellationToken.None).ToList();

        Assert.Equal(Enumerable.Range(0, 40).Select(i => i * 2).Order(), results.Order());
        Assert.InRange(peak, 1, 4);
    }

    [Fact]
    public void Yields_the_first_result_while_later_items_are_still_running()
    {
        using var release = new ManualResetEventSlim();
        var results = BoundedParallel.Stream(new[] { 0, 1 }, 2, async (i, token) =>
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
        var results = BoundedParallel.Stream<int, int>(new[] { 1 }, 1, (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => results.ToList());
    }

    [Fact]
    public void Stopping_early_cancels_the_remaining_work_and_waits_for_the_work_in_flight()
    {
        var started = 0;
        var running = 0;
        var results = BoundedParallel.Stream(Enumerable.Range(0, 1000), 4, async (i, token) =>
        {
            Interlocked.Increment(ref started);
            Interlocked.Increment(ref running);
            try
            {
                await Task.Delay(i == 0 ? 0 : 20, CancellationToken.None);
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

        Assert.Equal(0, Volatile.Read(ref running));
        var startedWhenStopped = Volatile.Read(ref started);
        Thread.Sleep(100);
        Assert.Equal(startedWhenStopped, Volatile.Read(ref started));
        Assert.True(startedWhenStopped < 1000);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
