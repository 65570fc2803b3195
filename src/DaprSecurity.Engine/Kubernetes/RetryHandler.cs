using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Retry;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Retries what a busy or flaky API server throws at a long run over many namespaces: 429 (honouring
/// Retry-After), 500/502/503/504 and dropped connections, with exponential backoff and jitter. The engine's
/// writes are written to be safe to repeat (create falls back to update on AlreadyExists, updates carry a
/// resourceVersion). Watches are not retried here; their callers re-establish them.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _clock;

    public RetryHandler(TimeProvider clock)
    {
        _clock = clock;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 8,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(5),
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await _pipeline.ExecuteAsync(token => new ValueTask<HttpResponseMessage>(base.SendAsync(request, token)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Not retried: timeouts (a hanging server would multiply the wait) and failures that repeating cannot fix within
    /// seconds — TLS errors, unknown host names, refused connections — so the user hears about them at once.
    /// </summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: OperationCanceledException } => false,
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } } => false,
        { Exception: HttpRequestException or IOException or SocketException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    /// <summary>The server's Retry-After when it sent one (capped), otherwise null for the backoff schedule.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var delay = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _clock.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return delay is null ? null : TimeSpan.FromTicks(Math.Clamp(delay.Value.Ticks, 0, MaxRetryAfter.Ticks));
    }
}
