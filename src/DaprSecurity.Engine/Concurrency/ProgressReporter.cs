using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Concurrency;

/// <summary>
/// Write-Progress for work over a known (or growing, see <see cref="Expect"/>) number of items, at most four updates a second however fast items complete
/// (progress rendering is slow in some hosts), and a Completed record at the end. Each reporter has its own activity id,
/// so commands in one pipeline show separate bars. Call it from the pipeline thread.
/// </summary>
public sealed class ProgressReporter
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(250);
    private static int s_lastActivityId;

    private readonly IEngineHost _host;
    private readonly string _activity;
    private int _total;
    private readonly int _activityId = Interlocked.Increment(ref s_lastActivityId);
    private long? _lastUpdate;
    private int _done;

    public ProgressReporter(IEngineHost host, string activity, int total)
    {
        _host = host;
        _activity = activity;
        _total = total;
    }

    /// <summary>Adds <paramref name="count"/> items to the total, for work that arrives in batches.</summary>
    public void Expect(int count) => _total += count;

    /// <summary>Counts one finished item; <paramref name="status"/> describes it (for example the namespace).</summary>
    public void Advance(string status)
    {
        _done++;
        if (_lastUpdate is { } last && _host.Clock.GetElapsedTime(last) < s_interval && _done < _total)
        {
            return;
        }

        _lastUpdate = _host.Clock.GetTimestamp();
        _host.WriteProgress(new ProgressUpdate(_activityId, _activity, $"{_done} of {_total}: {status}", _total == 0 ? -1 : _done * 100 / _total));
    }

    public void Complete() => _host.WriteProgress(new ProgressUpdate(_activityId, _activity, $"{_done} of {_total} done", 100, Completed: true));
}
