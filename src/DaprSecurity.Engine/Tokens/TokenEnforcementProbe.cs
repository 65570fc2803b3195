using System.Net;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Calls an endpoint three times (no dapr-api-token header, a random wrong token, the right token) and judges whether
/// it enforces the token. For Kind App that shows whether the app checks APP_API_TOKEN at all, which Dapr leaves to the app.
/// </summary>
public static class TokenEnforcementProbe
{
    public static DaprTokenEnforcementResult Run(TokenEnforcementRequest request, IEngineHost host)
    {
        TokenRules.EnsureWellFormed(request.Token);
        if (!request.Uri.IsAbsoluteUri || (request.Uri.Scheme != Uri.UriSchemeHttp && request.Uri.Scheme != Uri.UriSchemeHttps))
        {
            throw DaprErrors.TokenEndpointInvalid.Raise($"'{request.Uri}' is not an absolute http or https URI.", request.Uri.ToString());
        }

        WarnAboutUncheckedEndpoints(request, host);
        var wrong = TokenGenerator.Generate(new NewTokenRequest(request.Kind, DaprTokenFormat.Opaque, "", null, null, null, null, null, null, null), host.Clock.GetUtcNow());
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        if (request.SkipCertificateCheck)
        {
#pragma warning disable CA5359 // -SkipCertificateCheck: the user's explicit choice, as with Invoke-WebRequest.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        using var client = new HttpClient(handler) { Timeout = request.Timeout };
        var withoutToken = Send(client, request, null, host);
        var withWrongToken = Send(client, request, wrong, host);
        var withToken = Send(client, request, request.Token, host);
        host.WriteVerbose($"{request.Method} {request.Uri}: {withoutToken} without a token, {withWrongToken} with a wrong token, {withToken} with token {request.Token.Fingerprint}.");

        var status = (Rejected(withoutToken), Rejected(withWrongToken), Rejected(withToken)) switch
        {
            (false, _, _) => DaprTokenEnforcementStatus.NotEnforced,
            (true, false, _) => DaprTokenEnforcementStatus.WrongTokenAccepted,
            (true, true, true) => DaprTokenEnforcementStatus.TokenRejected,
            (true, true, false) => DaprTokenEnforcementStatus.Enforced,
        };
        return new DaprTokenEnforcementResult
        {
            Uri = request.Uri.ToString(),
            Kind = request.Kind,
            Status = status,
            WithoutToken = withoutToken,
            WithWrongToken = withWrongToken,
            WithToken = withToken,
            Fingerprint = request.Token.Fingerprint,
            Message = Explain(status, request.Kind),
        };
    }

    private static bool Rejected(int status) => status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden;

    private static int Send(HttpClient client, TokenEnforcementRequest request, DaprToken? token, IEngineHost host)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Uri);
        if (token is not null)
        {
            message.Headers.TryAddWithoutValidation(TokenKinds.Header, SecretText.ToPlainText(token.Token));
        }

        try
        {
            using var response = client.Send(message, HttpCompletionOption.ResponseHeadersRead, host.CancellationToken);
            return (int)response.StatusCode;
        }
        catch (TaskCanceledException e) when (!host.CancellationToken.IsCancellationRequested)
        {
            throw DaprErrors.TokenEndpointTimeout.Raise($"{request.Uri} did not answer within {request.Timeout.TotalSeconds:0.#} s.", request.Uri.ToString(), e);
        }
        catch (HttpRequestException e)
        {
            throw DaprErrors.TokenEndpointUnreachable.Raise($"Cannot reach {request.Uri}: {(e.InnerException ?? e).Message}", request.Uri.ToString(), e);
        }
    }

    /// <summary>daprd serves some endpoints without the token check (dapr/dapr pkg/api/http/middlewares.go and server.go).</summary>
    private static void WarnAboutUncheckedEndpoints(TokenEnforcementRequest request, IEngineHost host)
    {
        if (request.Kind != DaprTokenKind.Api)
        {
            return;
        }

        if (request.Uri.AbsolutePath.StartsWith("/v1.0/healthz", StringComparison.OrdinalIgnoreCase))
        {
            host.WriteWarning($"daprd never checks the token on {request.Uri.AbsolutePath}; probe an API path such as /v1.0/metadata instead.");
        }

        if (request.Uri.Port == 3501)
        {
            host.WriteWarning("Port 3501 is daprd's public port (health and metadata), which never checks the token; probe the API port (3500 by default).");
        }
    }

    private static string Explain(DaprTokenEnforcementStatus status, DaprTokenKind kind) => (status, kind) switch
    {
        (DaprTokenEnforcementStatus.Enforced, _) => "Requests without the token or with a wrong one are rejected; the token is accepted.",
        (DaprTokenEnforcementStatus.NotEnforced, DaprTokenKind.App) =>
            "The app accepted a request without a token: it does not check APP_API_TOKEN. Dapr only sends the token; the app must compare the dapr-api-token header with it.",
        (DaprTokenEnforcementStatus.NotEnforced, _) =>
            "daprd accepted a request without a token: DAPR_API_TOKEN is not set on this sidecar (annotation dapr.io/api-token-secret), or the path is exempt.",
        (DaprTokenEnforcementStatus.WrongTokenAccepted, _) => "A missing token is rejected but a wrong one is accepted: the endpoint checks that the header is present, not its value.",
        _ => "The endpoint rejects this token too: it expects a different one (pods not restarted since the rotation, or the other kind of token).",
    };
}
