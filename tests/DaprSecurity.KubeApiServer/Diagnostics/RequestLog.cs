using System.Collections.Concurrent;

namespace DaprSecurity.KubeApiServer.Diagnostics;

/// <summary>One request as the server saw it. <see cref="Verb"/> is the Kubernetes verb (get, list, watch, create, …).</summary>
public sealed record RecordedRequest(
    DateTimeOffset Time,
    string Method,
    string Path,
    string Query,
    string Verb,
    string? Resource,
    string? Namespace,
    string? Name,
    string User,
    int StatusCode,
    TimeSpan Duration);

/// <summary>
/// Counts every request by (verb, resource) and keeps the most recent ones for assertions such as
/// "exactly one PATCH per deployment". Verbs compare case-insensitively, so <c>Count("PATCH", "deployments")</c> works.
/// A request is recorded when it ends; a watch a client closes ends when the server notices, a moment after the client
/// returned, so tests that count watches wait for <see cref="WaitUntilIdle"/> first.
/// </summary>
public sealed class RequestLog(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), int> _counts = new();
    private readonly ConcurrentQueue<RecordedRequest> _recent = new();
    private int _inFlight;

    /// <summary>The most recent requests (up to the capacity), oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Entries => _recent.ToArray();

    public int Total => _counts.Values.Sum();

    /// <summary>Every (verb, resource) counter so far, ordered by verb then resource.</summary>
    public IReadOnlyList<(string Verb, string Resource, int Count)> Counters =>
        _counts.Select(c => (c.Key.Verb, c.Key.Resource, c.Value)).OrderBy(c => c.Verb).ThenBy(c => c.Resource).ToList();

    public int Count(string verb, string resource) =>
        _counts.GetValueOrDefault((verb.ToLowerInvariant(), resource.ToLowerInvariant()));

    /// <summary>Counts the retained entries that match; for questions the (verb, resource) counters cannot answer.</summary>
    public int Count(Func<RecordedRequest, bool> predicate) => _recent.Count(predicate);

    /// <summary>Waits until every request the server has received has ended and been recorded; false after <paramref name="timeout"/>.</summary>
    public bool WaitUntilIdle(TimeSpan timeout) => SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, timeout);

    public void Reset()
    {
        _counts.Clear();
        _recent.Clear();
    }

    internal void Begin() => Interlocked.Increment(ref _inFlight);

    /// <summary>Records a request that <see cref="Begin"/> announced.</summary>
    internal void Record(RecordedRequest request)
    {
        _counts.AddOrUpdate((request.Verb.ToLowerInvariant(), (request.Resource ?? "").ToLowerInvariant()), 1, (_, n) => n + 1);
        _recent.Enqueue(request);
        while (_recent.Count > capacity && _recent.TryDequeue(out _))
        {
        }

        Interlocked.Decrement(ref _inFlight);
    }
}
