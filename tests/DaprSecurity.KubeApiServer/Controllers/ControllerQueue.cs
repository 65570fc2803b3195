using System.Threading.Channels;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// The single work queue every controller runs on, one item at a time, so controllers never race each other.
/// Work can be delayed by the configured controller delay, which is how rollouts take time.
/// </summary>
internal sealed class ControllerQueue(TimeSpan delay, CancellationToken stopping)
{
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new() { SingleReader = true });

    public void Enqueue(Action work) => _work.Writer.TryWrite(work);

    /// <summary>The controller delay: how long a rollout takes to be reported.</summary>
    public TimeSpan Delay => delay;

    /// <summary>Runs <paramref name="work"/> after the controller delay (at once when it is zero).</summary>
    public void EnqueueAfterDelay(Action work) => EnqueueAfter(delay, work);

    /// <summary>Runs <paramref name="work"/> after <paramref name="wait"/> (at once when it is zero).</summary>
    public void EnqueueAfter(TimeSpan wait, Action work)
    {
        if (wait <= TimeSpan.Zero)
        {
            Enqueue(work);
            return;
        }
        _ = Task.Delay(wait, stopping).ContinueWith(_ => Enqueue(work), TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    /// <summary>Runs queued work until the server stops; <paramref name="onError"/> sees failures (usually a lost race with a client).</summary>
    public async Task RunAsync(Action<Exception> onError)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(stopping))
            {
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    onError(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }
}
