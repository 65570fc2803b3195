using System.Runtime.CompilerServices;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Several kinds' paged lists read at once and handed out a namespace at a time, as soon as every list has passed that
/// namespace (see <see cref="NamespaceList"/>), while later pages are still being read. The lists are cluster-wide and
/// start when added, while the namespaces may still be being selected (the namespace list is then no round trip
/// before them); only a selection known already to be one namespace is read with namespaced lists (<see cref="Scope"/>).
/// Only namespaces not yet handed out are held in memory.
/// <para>With a selection, every namespace selected is handed out, in the selection's order, with or without items.
/// Without one (null, or a selection that turns out null: every namespace, and the namespaces could not be listed), the
/// namespaces any list holds are handed out in ordinal order: a namespace once every list has passed the part of its
/// name before its first dash, so that no namespace sorting before it by name (but after it by key: "a" and "a-b") can
/// still come. That holds back a whole group of names with a common first part ("app-1" … "app-999"), so callers that
/// want every namespace select them with the namespace list when they may.</para>
/// <para>Memory stays flat: a list that holds more than <see cref="AheadLimit"/> items not yet handed out, and has
/// passed what the next handout waits for, reads its next page only once the handout has moved on (or another list
/// has a page), so a fast list does not pile up ahead of a slow one, nor all of them ahead of a slow consumer. A list
/// the next handout still needs always reads on.</para>
/// </summary>
internal sealed class NamespaceMerge : IAsyncDisposable
{
    /// <summary>The items a list may hold ahead of the handout before it waits for it: two full pages.</summary>
    public const int AheadLimit = 2 * Paging.PageSize;

    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop;
    private readonly Task<IReadOnlyList<string>?>? _selecting;
    private readonly bool _selectsNone;
    private readonly List<NamespaceList> _lists = new();
    private readonly List<Task> _reads = new();
    private TaskCompletionSource _progress = NewPulse();
    private volatile bool _all;
    private volatile bool _selected;
    private volatile string? _next;

    /// <param name="selecting">The namespaces to hand out, in order; null (or null once selected) for every namespace the lists hold.</param>
    public NamespaceMerge(Task<IReadOnlyList<string>?>? selecting, CancellationToken cancellationToken)
    {
        _selecting = selecting;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var known = selecting is { IsCompletedSuccessfully: true } ? selecting.Result : null;
        _selectsNone = known is { Count: 0 };
        Scope = known is { Count: 1 } ? known[0] : null;
        if (selecting is null || known is not null)
        {
            // What the handout waits for is known before it starts: the lists wait for room from their first page.
            (_all, _next) = (selecting is null, known?.FirstOrDefault());
            _selected = true;
        }
    }

    /// <summary>The one namespace the lists are read in; null when they are read across the cluster.</summary>
    public string? Scope { get; }

    /// <summary>
    /// Starts one list: <paramref name="pages"/> gets <see cref="Scope"/> and the token that stops it. A failure
    /// <paramref name="tolerated"/> accepts completes the list as <see cref="NamespaceList.Unavailable"/> (its
    /// namespaces are then taken as null) instead of failing the handout.
    /// </summary>
    public NamespaceList<T> Add<T>(Func<string?, CancellationToken, IAsyncEnumerable<IList<T>>> pages, Func<T, string> namespaceOf, Func<DaprSecurityException, bool>? tolerated = null)
    {
        var list = new NamespaceList<T>(null, namespaceOf, _changed);
        _lists.Add(list);
        if (_selectsNone)
        {
            list.Complete(null); // nothing to read for
            _reads.Add(Task.CompletedTask);
        }
        else
        {
            _reads.Add(FillAsync(list, pages(Scope, _stop.Token), Scope is null, tolerated));
        }

        return list;
    }

    /// <summary>
    /// Each namespace once every list holds all of it: the caller takes its items from each list before asking for
    /// the next (what it leaves is dropped). A list that could not be read fails the handout of the first namespace it
    /// has not delivered, and one that failed after the last namespace fails the end.
    /// </summary>
    public async IAsyncEnumerable<string> NamespacesAsync()
    {
        if (_selectsNone)
        {
            yield break;
        }

        var wanted = _selecting is null ? null : (await _selecting.ConfigureAwait(false))?.Distinct(StringComparer.Ordinal).ToList();
        _all = wanted is null;
        _selected = true; // after _all: a list that sees it selected reads the mode right
        Pulse();
        if (wanted is null)
        {
            while (await NextAsync().ConfigureAwait(false) is { } next)
            {
                yield return next;
                Drop(next);
            }
        }
        else
        {
            if (wanted.Count == 0)
            {
                yield break; // the lists started for nothing are stopped when the merge is disposed
            }

            var selected = wanted.ToHashSet(StringComparer.Ordinal);
            _lists.ForEach(l => l.Want(selected));
            foreach (var ns in wanted)
            {
                _next = ns;
                Pulse();
                while (!_lists.All(l => l.HasPassed(ns)))
                {
                    await _changed.WaitAsync(_stop.Token).ConfigureAwait(false);
                }

                await ThrowIfFailedAsync().ConfigureAwait(false);
                yield return ns;
                Drop(ns);
            }

            _next = null;
            Pulse();
        }

        // A list may have passed the last namespace and failed on a later page: that still surfaces.
        await Task.WhenAll(_reads).ConfigureAwait(false);
    }

    /// <summary>Stops the reads still running (the caller stopped early, or a list failed) and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await NamespaceList.StopAsync(_stop, _reads).ConfigureAwait(false);
        _stop.Dispose();
        _changed.Dispose();
    }

    /// <summary>The part of a namespace's name before its first dash: once a list has passed it, no namespace sorting before the whole name can come.</summary>
    private static string Guard(string @namespace) => @namespace.IndexOf('-', StringComparison.Ordinal) is var dash and > 0 ? @namespace[..dash] : @namespace;

    /// <summary>The next namespace (ordinal) of every namespace the lists hold, once it is complete; null once every list is and holds none.</summary>
    private async Task<string?> NextAsync()
    {
        while (true)
        {
            var complete = _lists.All(l => l.IsComplete);
            var next = _lists.Select(l => l.FirstHeld()).OfType<string>().Min(StringComparer.Ordinal);
            if (next is null && complete)
            {
                return null;
            }

            if (next is not null && (complete || _lists.All(l => l.HasPassed(Guard(next)))))
            {
                await ThrowIfFailedAsync().ConfigureAwait(false);
                return next;
            }

            await _changed.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    private async Task ThrowIfFailedAsync()
    {
        if (_lists.FindIndex(l => l.Error is not null) is var failed and >= 0)
        {
            await _reads[failed].ConfigureAwait(false); // rethrows why that list could not be read
        }
    }

    private void Drop(string @namespace)
    {
        _lists.ForEach(l => l.Drop(@namespace));
        Pulse();
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the lists waiting for room: the handout moved on, or a list changed.</summary>
    private void Pulse() => Interlocked.Exchange(ref _progress, NewPulse()).TrySetResult();

    /// <summary>True when the next handout waits for <paramref name="list"/> (or nothing is known yet of what it waits for).</summary>
    private bool Needs(NamespaceList list)
    {
        if (!_selected)
        {
            return true;
        }

        if (!_all)
        {
            return _next is not { } next || !list.HasPassed(next);
        }

        var first = _lists.Select(l => l.FirstHeld()).OfType<string>().Min(StringComparer.Ordinal);
        return first is null || !list.HasPassed(Guard(first));
    }

    /// <summary>Waits while <paramref name="list"/> holds more than <see cref="AheadLimit"/> items and the next handout does not need it.</summary>
    private async Task RoomAsync(NamespaceList list)
    {
        while (true)
        {
            var pulse = Volatile.Read(ref _progress).Task;
            if (list.Held <= AheadLimit || Needs(list))
            {
                return;
            }

            await pulse.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    private async Task FillAsync<T>(NamespaceList<T> list, IAsyncEnumerable<IList<T>> pages, bool ordered, Func<DaprSecurityException, bool>? tolerated)
    {
        string? error = "not read to the end";
        DaprSecurityException? unavailable = null;
        try
        {
            await foreach (var page in pages.ConfigureAwait(false))
            {
                list.Add(page, ordered);
                Pulse();
                await RoomAsync(list).ConfigureAwait(false);
            }

            error = null;
        }
        catch (DaprSecurityException e) when (tolerated?.Invoke(e) == true)
        {
            (error, unavailable) = (null, e);
        }
        finally
        {
            list.Complete(error, unavailable);
            Pulse();
        }
    }
}
