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
    private readonly List<Planned> _planned = new();
    private readonly HashSet<Planned> _done = new();
    private readonly List<string> _facts = new();
    private string _finish = "run the same command again: what is already done is left as it is, only the rest is done";

    /// <summary>True once a signal (SIGTERM, SIGINT) stopped the work, even if PowerShell itself did not stop the pipeline.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>After SIGTERM, whose default action was held back until the work was safe: the code to end the process with once the summary is out.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>
    /// The context a command that works in several clusters one after the other is working in (the host sets it with its
    /// [context] prefix), so that a target planned there is told apart from the same target in another cluster.
    /// </summary>
    public string? Cluster
    {
        get { lock (_gate) { return _cluster; } }
        set { lock (_gate) { _cluster = value; } }
    }

    private string? _cluster;

    /// <summary>A target the command is about to change (the ShouldProcess target).</summary>
    public void Plan(string target) => Plan(target, target);

    /// <summary>
    /// A target the command is about to change: <paramref name="shown"/> as the summary names it (the ShouldProcess
    /// target as the user saw it: with its [context], sanitized), <paramref name="target"/> as the engine names it in
    /// <see cref="Done"/>, in the current <see cref="Cluster"/>.
    /// </summary>
    public void Plan(string shown, string target)
    {
        lock (_gate)
        {
            var planned = new Planned(shown, target, _cluster);
            if (!_planned.Contains(planned))
            {
                _planned.Add(planned);
            }
        }
    }

    /// <summary>
    /// The change to <paramref name="target"/> is confirmed: the target planned under that name in the current
    /// <see cref="Cluster"/> or, when none is current (work that outlives its cluster's turn), the one planned under
    /// that name if only one cluster planned it. Never a guess between clusters: then it stays "not confirmed".
    /// </summary>
    public void Done(string target)
    {
        lock (_gate)
        {
            var named = _planned.Where(p => p.Target == target).ToList();
            var inCluster = named.Where(p => p.Cluster == _cluster).ToList();
            foreach (var planned in inCluster.Count > 0 ? inCluster : named.Select(p => p.Cluster).Distinct().Count() == 1 ? named : [])
            {
                _done.Add(planned);
            }
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

            var done = _planned.Where(_done.Contains).Select(p => p.Shown).ToList();
            var notDone = _planned.Where(p => !_done.Contains(p)).Select(p => p.Shown).ToList();
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

    private sealed record Planned(string Shown, string Target, string? Cluster);
}
