using System.Net;
using DaprSecurity.Engine.Kubernetes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Kubernetes;

public sealed class RetryHandlerTests
{
    [Fact]
    public async Task Retries_429_honouring_Retry_After_then_5xx_then_a_dropped_connection()
    {
        var answers = new Queue<Func<HttpResponseMessage>>(new Func<HttpResponseMessage>[]
        {
            () => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero) } },
            () => new HttpResponseMessage(HttpStatusCode.InternalServerError),
            () => throw new HttpRequestException("connection reset", new IOException("reset")),
            () => new HttpResponseMessage(HttpStatusCode.OK),
        });
        using var client = new HttpClient(new RetryHandler(TimeProvider.System) { InnerHandler = new ScriptedHandler(answers) });

        var response = await client.GetAsync("https://example.invalid/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(answers);
    }

    [Fact]
    public async Task Does_not_retry_client_errors()
    {
        var answers = new Queue<Func<HttpResponseMessage>>(new Func<HttpResponseMessage>[] { () => new HttpResponseMessage(HttpStatusCode.Forbidden), () => new HttpResponseMessage(HttpStatusCode.OK) });
        using var client = new HttpClient(new RetryHandler(TimeProvider.System) { InnerHandler = new ScriptedHandler(answers) });

        var response = await client.GetAsync("https://example.invalid/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(answers);
    }

    [Theory]
    [InlineData(HttpRequestError.SecureConnectionError)]
    [InlineData(HttpRequestError.NameResolutionError)]
    [InlineData(HttpRequestError.ConnectionError)]
    public async Task Does_not_retry_what_repeating_cannot_fix(HttpRequestError error)
    {
        var answers = new Queue<Func<HttpResponseMessage>>(new Func<HttpResponseMessage>[] { () => throw new HttpRequestException(error, "no"), () => new HttpResponseMessage(HttpStatusCode.OK) });
        using var client = new HttpClient(new RetryHandler(TimeProvider.System) { InnerHandler = new ScriptedHandler(answers) });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://example.invalid/api/v1/namespaces"));
        Assert.Single(answers);
    }

    private sealed class ScriptedHandler(Queue<Func<HttpResponseMessage>> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(answers.Dequeue()());
    }
}
