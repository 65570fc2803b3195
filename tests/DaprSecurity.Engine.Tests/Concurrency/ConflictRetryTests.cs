using DaprSecurity.Engine.Concurrency;
using Xunit;

namespace DaprSecurity.Engine.Tests.Concurrency;

public sealed class ConflictRetryTests
{
    [Fact]
    public async Task Re_reads_between_refusals_and_returns_the_first_write_that_lands()
    {
        var rereads = 0;

        var result = await ConflictRetry.RunAsync(
            attempt => attempt < 3 ? throw new TimeoutException("refused") : Task.FromResult(attempt),
            e => e is TimeoutException,
            _ =>
            {
                rereads++;
                return Task.CompletedTask;
            });

        Assert.Equal((3, 2), (result, rereads));
    }

    [Fact]
    public void Gives_up_after_five_attempts_with_the_error_made_of_the_last_refusal()
    {
        var attempts = 0;

        var error = Assert.Throws<InvalidOperationException>(() => ConflictRetry.Run<int>(
            _ => throw new TimeoutException($"refused {++attempts}"),
            e => e is TimeoutException,
            exhausted: e => new InvalidOperationException("gave up", e)));

        Assert.Equal(ConflictRetry.MaxAttempts, attempts);
        Assert.Equal("refused 5", error.InnerException!.Message);
    }

    [Fact]
    public async Task Other_failures_and_the_last_refusal_without_an_error_of_its_own_end_the_write_as_they_are()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<ArgumentException>(() => ConflictRetry.RunAsync<int>(_ => throw new ArgumentException("bad"), e => e is TimeoutException));
        await Assert.ThrowsAsync<TimeoutException>(() => ConflictRetry.RunAsync<int>(_ => { attempts++; throw new TimeoutException(); }, e => e is TimeoutException));
        Assert.Equal(ConflictRetry.MaxAttempts, attempts);
    }
}
