namespace DaprSecurity.Abstractions;

/// <summary>
/// What a writing command set out to do and what it has done, so that a command stopped part-way (Ctrl+C, a pipeline
/// stop, SIGTERM) can say in one warning what was done, what was not, and how to finish. The host plans every target
/// ShouldProcess approved; the engine marks a target done once its change is confirmed, and may add facts (what an
/// interrupted write left behind) and a better way to finish. Thread-safe: engine workers report in parallel.
/// </summary>
public sealed class WorkLedger
{
    private const int NamesShown = 10;
    private readonly object _gate = new();
    private readonly List<string> _planned = new();
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly List<string> _facts = new();
    private string _finish = "run the same command again: what is already done is left as it is, only the rest is done";

    /// <summary>True once a signal (SIGTERM, SIGINT) stopped the work, even if PowerShell itself did not stop the pipeline.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>After SIGTERM, whose default action was held back until the work was safe: the code to end the process with once the summary is out.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>A target the command is about to change (the ShouldProcess target).</summary>
    public void Plan(string target)
    {
        lock (_gate)
        {
            if (!_planned.Contains(target))
            {
                _planned.Add(target);
            }
        }
    }

    /// <summary>The change to <paramref name="target"/> is confirmed.</summary>
    public void Done(string target)
    {
        lock (_gate)
        {
            _done.Add(target);
        }
    }

    /// <summary>A fact the summary must state, e.g. what an interrupted write left in place. Never a secret.</summary>
    public void Note(string fact)
    {
        lock (_gate)
        {
            _facts.Add(fact);
        }
    }

    /// <summary>How to finish when the default (run the same command again) is not right, as a clause after "To finish, ".</summary>
    public void FinishWith(string howToFinish)
    {
        lock (_gate)
        {
            _finish = howToFinish;
        }
    }

    /// <summary>A signal stopped the work; <paramref name="exitCode"/> is set when the process must end afterwards (SIGTERM).</summary>
    public void Interrupt(int? exitCode)
    {
        lock (_gate)
        {
            Interrupted = true;
            ExitCode ??= exitCode;
        }
    }

    /// <summary>The one-line summary for a stopped <paramref name="command"/>, or null when it had planned and noted nothing.</summary>
    public string? Summary(string command)
    {
        lock (_gate)
        {
            if (_planned.Count == 0 && _facts.Count == 0)
            {
                return null;
            }

            var done = _planned.Where(_done.Contains).ToList();
            var notDone = _planned.Where(t => !_done.Contains(t)).ToList();
            var text = $"{command} was stopped. Done: {Names(done)}.";
            if (notDone.Count > 0)
            {
                text += $" Not done (or not confirmed): {Names(notDone)}.";
            }

            text += string.Concat(_facts.Select(f => " " + f));
            return notDone.Count > 0 ? $"{text} To finish, {_finish}." : text;
        }
    }

    private static string Names(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "nothing",
        <= NamesShown => string.Join(", ", names),
        _ => $"{string.Join(", ", names.Take(NamesShown))} and {names.Count - NamesShown} more",
    };
}
