using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Concurrency;

/// <summary>
/// The outcome of the work on one item: its result, or the error the user should see for that item alone. Work run
/// through <see cref="BoundedParallel"/> returns attempts so one failing namespace does not end the run.
/// </summary>
public sealed record Attempt<TItem, TResult>(TItem Item, TResult? Result, DaprSecurityException? Error)
{
    public static async Task<Attempt<TItem, TResult>> RunAsync(TItem item, Func<Task<TResult>> work)
    {
        try
        {
            return new Attempt<TItem, TResult>(item, await work().ConfigureAwait(false), null);
        }
        catch (DaprSecurityException error)
        {
            return new Attempt<TItem, TResult>(item, default, error);
        }
    }
}
