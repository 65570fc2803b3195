namespace DaprSecurity.Engine.Concurrency;

/// <summary>
/// The one policy for a write that can lose a race with another writer (a 409 from the API server, a manifest file that
/// changed on disk): try, and while the write is refused because its target changed, re-read it and apply the change
/// again, at most <see cref="MaxAttempts"/> times in all. A refusal on the last attempt ends the write with the error
/// <c>exhausted</c> makes of it (by default the refusal itself).
/// </summary>
internal static class ConflictRetry
{
    public const int MaxAttempts = 5;

    /// <summary>Runs <paramref name="attempt"/> (given its number, from 1) until it returns or fails other than by <paramref name="isConflict"/>.</summary>
    /// <param name="attempt">One read-decide-write; the number tells the first from a retry.</param>
    /// <param name="isConflict">The refusals worth another attempt.</param>
    /// <param name="beforeRetry">Runs between a refusal and the next attempt (re-read, tell the user).</param>
    /// <param name="exhausted">The error for a refusal on the last attempt; null: the refusal itself.</param>
    public static async Task<T> RunAsync<T>(Func<int, Task<T>> attempt, Func<Exception, bool> isConflict, Func<Exception, Task>? beforeRetry = null, Func<Exception, Exception>? exhausted = null)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(number).ConfigureAwait(false);
            }
            catch (Exception refused) when (isConflict(refused))
            {
                ThrowIfLast(number, refused, exhausted);
                if (beforeRetry is not null)
                {
                    await beforeRetry(refused).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static T Run<T>(Func<int, T> attempt, Func<Exception, bool> isConflict, Action<Exception>? beforeRetry = null, Func<Exception, Exception>? exhausted = null)
    {
        for (var number = 1; ; number++)
        {
            try
            {
                return attempt(number);
            }
            catch (Exception refused) when (isConflict(refused))
            {
                ThrowIfLast(number, refused, exhausted);
                beforeRetry?.Invoke(refused);
            }
        }
    }

    private static void ThrowIfLast(int number, Exception refused, Func<Exception, Exception>? exhausted)
    {
        if (number < MaxAttempts)
        {
            return;
        }

        if (exhausted is not null)
        {
            throw exhausted(refused);
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
    }
}
