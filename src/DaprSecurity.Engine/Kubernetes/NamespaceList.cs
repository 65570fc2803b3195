using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// One kind's list as it arrives, page by page: how far it has got. A cluster-wide list comes in key order
/// (namespace, then name; continue tokens are keys), so once it has returned an item of a later namespace it holds
/// every item of the earlier ones. Lists read per namespace come in no such order and count only once complete, and
/// so does a cluster-wide list that turns out not to be in key order (some aggregated servers): it is then trusted no
/// further and its namespaces count as read only once it is complete. Should such a list bring an item of a namespace
/// already handed out, that namespace's results were written without it: the page fails with
/// <c>KubeApiListOutOfOrder</c> (and so does the list) rather than drop the item in silence.
/// </summary>
internal abstract class NamespaceList
{
    private readonly SemaphoreSlim _changed;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _passedKey;
    private bool _complete;
    private bool _unordered;

    protected NamespaceList(SemaphoreSlim changed) => _changed = changed;

    /// <summary>Why the list could not be read; null while it is read and once it was.</summary>
    public string? Error { get; private set; }

    /// <summary>Why the list's data is missing when its reader tolerated that (it completed without items); null otherwise.</summary>
    public DaprSecurityException? Unavailable { get; private set; }

    /// <summary>True once the list was read to the end, or could not be.</summary>
    public bool IsComplete
    {
        get
        {
            lock (Gate)
            {
                return _complete;
            }
        }
    }

    /// <summary>Completes when the list does (<see cref="Complete"/>), however it ends.</summary>
    public Task Completion => _completed.Task;

    protected object Gate { get; } = new();

    /// <summary>Namespaces compare as their keys do ("ns/"), so "a-b" comes before "a".</summary>
    public static string Key(string @namespace) => @namespace + "/";

    /// <summary>True when the list holds everything of <paramref name="namespace"/>: it is complete, or it has passed that namespace.</summary>
    public bool HasPassed(string @namespace)
    {
        lock (Gate)
        {
            return _complete || (!_unordered && _passedKey is not null && string.CompareOrdinal(_passedKey, Key(@namespace)) > 0);
        }
    }

    public void Complete(string? error, DaprSecurityException? unavailable = null)
    {
        lock (Gate)
        {
            _complete = true;
            Error = error;
            Unavailable = unavailable;
        }

        _changed.Release();
        _completed.TrySetResult();
    }

    /// <summary>From now on keeps only the items of <paramref name="wanted"/>, and drops those of other namespaces read so far.</summary>
    public abstract void Want(IReadOnlySet<string> wanted);

    /// <summary>How many items the list holds, not yet taken.</summary>
    public abstract int Held { get; }

    /// <summary>The first namespace (ordinal) whose items are held and not yet taken; null when none is.</summary>
    public abstract string? FirstHeld();

    /// <summary>Marks <paramref name="namespace"/> as handed out, dropping whatever of it is still held.</summary>
    public abstract void Drop(string @namespace);

    /// <summary>Called under <see cref="Gate"/> after a page: the namespace of its last item, when the list is in key order.</summary>
    protected void Reached(string? @namespace, bool ordered)
    {
        if (ordered && !_unordered && @namespace is not null)
        {
            _passedKey = Key(@namespace);
        }
    }

    /// <summary>Called under <see cref="Gate"/> for each item of an ordered page, after the item before it (null for a page's first).</summary>
    protected void CheckOrder(string @namespace, string? previous)
    {
        var floor = previous is null ? _passedKey : Key(previous);
        if (floor is not null && string.CompareOrdinal(Key(@namespace), floor) < 0)
        {
            _unordered = true;
        }
    }

    protected void Changed() => _changed.Release();

    /// <summary>
    /// Cancels the reads that fill the lists (the caller stopped early, Select-Object -First) and waits for them to end;
    /// a read that failed has already surfaced, through its list or when the reader awaited the reads.
    /// </summary>
    public static async Task StopAsync(CancellationTokenSource stop, IEnumerable<Task> reads)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }
}

/// <summary>A <see cref="NamespaceList"/> that keeps the items of the wanted namespaces until they are taken.</summary>
internal sealed class NamespaceList<T> : NamespaceList
{
    private readonly Dictionary<string, List<T>> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly Func<T, string> _namespaceOf;
    private IReadOnlySet<string>? _wanted;
    private int _held;

    /// <param name="wanted">The namespaces whose items are kept; null to keep every namespace's until <see cref="Want"/> says which (the list started while they were being selected).</param>
    public NamespaceList(IReadOnlySet<string>? wanted, Func<T, string> namespaceOf, SemaphoreSlim changed)
        : base(changed)
    {
        _wanted = wanted;
        _namespaceOf = namespaceOf;
    }

    /// <inheritdoc />
    public override void Want(IReadOnlySet<string> wanted)
    {
        lock (Gate)
        {
            _wanted = wanted;
            foreach (var other in _items.Keys.Where(ns => !wanted.Contains(ns)).ToList())
            {
                _held -= _items[other].Count;
                _items.Remove(other);
            }
        }
    }

    /// <param name="ordered">True for a page of a cluster-wide list (key order).</param>
    public void Add(IEnumerable<T> page, bool ordered)
    {
        lock (Gate)
        {
            string? last = null;
            foreach (var item in page)
            {
                var @namespace = _namespaceOf(item);
                if (ordered)
                {
                    CheckOrder(@namespace, last);
                }

                last = @namespace;
                if (_taken.Contains(last))
                {
                    throw DaprErrors.KubeApiListOutOfOrder.Raise(
                        $"The API server listed an item of namespace {last} after that namespace's results were written: it does not list in key order, and they would be incomplete.",
                        last,
                        recommendedAction: "Read the namespaces one at a time (-Namespace with one name), or report the API server's list order.");
                }

                if (_wanted?.Contains(last) != false)
                {
                    if (!_items.TryGetValue(last, out var items))
                    {
                        _items[last] = items = new List<T>();
                    }

                    items.Add(item);
                    _held++;
                }
            }

            Reached(last, ordered);
        }

        Changed();
    }

    /// <summary>The items of <paramref name="namespace"/>, handed over once (null when the list could not be read).</summary>
    public IReadOnlyList<T>? Take(string @namespace)
    {
        lock (Gate)
        {
            _taken.Add(@namespace);
            var found = _items.Remove(@namespace, out var items);
            _held -= found ? items!.Count : 0;
            return Error is not null || Unavailable is not null ? null : found ? items! : Array.Empty<T>();
        }
    }

    /// <inheritdoc />
    public override int Held
    {
        get
        {
            lock (Gate)
            {
                return _held;
            }
        }
    }

    /// <inheritdoc />
    public override string? FirstHeld()
    {
        lock (Gate)
        {
            return _items.Keys.Min(StringComparer.Ordinal);
        }
    }

    /// <inheritdoc />
    public override void Drop(string @namespace) => Take(@namespace);
}
