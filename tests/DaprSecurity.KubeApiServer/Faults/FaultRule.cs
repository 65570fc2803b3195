using DaprSecurity.KubeApiServer.Http;

namespace DaprSecurity.KubeApiServer.Faults;

/// <summary>What a matching request gets instead of its normal answer.</summary>
public enum FaultKind
{
    /// <summary>429 TooManyRequests with a <c>Retry-After</c> header, as API Priority and Fairness answers.</summary>
    TooManyRequests,

    /// <summary>500 InternalError.</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable.</summary>
    ServiceUnavailable,

    /// <summary>The connection is aborted without an answer.</summary>
    ConnectionReset,

    /// <summary>No answer until the client gives up (or the server stops).</summary>
    Hang,

    /// <summary>The request waits until <see cref="FaultRule.Release"/> is called, then gets its normal answer (a slow list, made deterministic).</summary>
    Hold,

    /// <summary>A write (create, update, patch) is answered with the object as stored, unchanged, as when a webhook reverts it.</summary>
    IgnoreWrite,

    /// <summary>A watch is served, then its connection is cut after <see cref="FaultRule.EventsBeforeDrop"/> events, as a load balancer does.</summary>
    DropWatch,

    /// <summary>A watch gets the apiserver's answer to a compacted resourceVersion: one ERROR event carrying a 410 Expired Status.</summary>
    WatchGone,
}

/// <summary>
/// Which requests fail and how. All set criteria must match: <see cref="Verb"/> (a Kubernetes verb, case-insensitive, so
/// <c>"PATCH"</c> works), <see cref="Resource"/> (plural), <see cref="Namespace"/> and the <see cref="When"/> predicate.
/// A matching request then fails with <see cref="Probability"/> (drawn from the server's seeded random), at most
/// <see cref="Times"/> times if set.
/// </summary>
public sealed class FaultRule(FaultKind kind)
{
    private int _remaining = -1;

    public FaultKind Kind { get; } = kind;

    public string? Verb { get; init; }

    public string? Resource { get; init; }

    public string? Namespace { get; init; }

    public Func<ApiRequest, bool>? When { get; init; }

    public double Probability { get; init; } = 1.0;

    /// <summary>Fail only the next N matching requests; null means no limit.</summary>
    public int? Times
    {
        get => _remaining < 0 ? null : _remaining;
        init => _remaining = value ?? -1;
    }

    /// <summary>The <c>Retry-After</c> of a 429, in whole seconds.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>For <see cref="FaultKind.DropWatch"/>: how many events the watch delivers before its connection is cut (0: none).</summary>
    public int EventsBeforeDrop { get; init; } = 1;

    /// <summary>How many requests this rule has failed so far.</summary>
    public int Fired { get; private set; }

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>For <see cref="FaultKind.Hold"/>: lets the held requests, and every later one, through.</summary>
    public void Release() => _released.TrySetResult();

    internal Task Released => _released.Task;

    internal bool Matches(ApiRequest request) =>
        (Verb is null || string.Equals(Verb, request.Verb, StringComparison.OrdinalIgnoreCase))
        && (Resource is null || string.Equals(Resource, request.Resource, StringComparison.OrdinalIgnoreCase))
        && (Namespace is null || Namespace == request.Namespace)
        && (When is null || When(request));

    /// <summary>Consumes one use; false once the rule is used up. Called under the injector's lock.</summary>
    internal bool TryFire()
    {
        if (_remaining == 0)
        {
            return false;
        }
        if (_remaining > 0)
        {
            _remaining--;
        }
        Fired++;
        return true;
    }
}
