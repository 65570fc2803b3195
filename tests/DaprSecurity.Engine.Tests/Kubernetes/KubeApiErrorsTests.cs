using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using k8s.Autorest;
using Xunit;

namespace DaprSecurity.Engine.Tests.Kubernetes;

public sealed class KubeApiErrorsTests
{
    private const string Server = "https://10.0.0.1:6443";

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden", "KubeApiForbidden", DaprErrorCategory.PermissionDenied)]
    [InlineData(HttpStatusCode.NotFound, "NotFound", "KubeApiNotFound", DaprErrorCategory.ObjectNotFound)]
    [InlineData(HttpStatusCode.Conflict, "AlreadyExists", "KubeApiAlreadyExists", DaprErrorCategory.ResourceExists)]
    [InlineData(HttpStatusCode.Conflict, "Conflict", "KubeApiConflict", DaprErrorCategory.InvalidOperation)]
    [InlineData(HttpStatusCode.UnprocessableEntity, "Invalid", "KubeApiInvalid", DaprErrorCategory.InvalidData)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "KubeApiUnavailable", DaprErrorCategory.ResourceUnavailable)]
    public void Http_errors_carry_the_Status_message_and_a_stable_id(HttpStatusCode code, string reason, string errorId, DaprErrorCategory category)
    {
        var status = $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the API said no","reason":"{{reason}}","code":{{(int)code}}}""";
        var error = new HttpOperationException("Operation returned an invalid status code") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), status) };

        var translated = KubeApiErrors.Translate(error, Server, "secret prod/app-api-token", CancellationToken.None)!;

        Assert.Equal(errorId, translated.ErrorId);
        Assert.Equal(category, translated.Category);
        Assert.Equal("secret prod/app-api-token", translated.TargetObject);
        Assert.Contains("the API said no", translated.Message);
        Assert.Contains(Server, translated.Message);
    }

    [Fact]
    public void Http_errors_keep_neither_the_request_nor_the_response_body()
    {
        var body = """{"data":{"issuer.key":"LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t"}}""";
        var error = new HttpOperationException("Operation returned an invalid status code")
        {
            Request = new HttpRequestMessageWrapper(new HttpRequestMessage(HttpMethod.Put, Server), body),
            Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.UnprocessableEntity), body),
        };

        var translated = KubeApiErrors.Translate(error, Server, "secret dapr-system/dapr-trust-bundle", CancellationToken.None)!;

        Assert.Null(translated.InnerException);
        Assert.DoesNotContain("LS0tLS1", translated.Message);
    }

    [Fact]
    public void Http_errors_carry_the_status_reason_and_resource_as_data()
    {
        var status = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"secrets \"dapr-trust-bundle\" is forbidden","reason":"Forbidden","details":{"name":"dapr-trust-bundle","kind":"secrets"},"code":403}""";
        var error = new HttpOperationException("Operation returned an invalid status code") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Forbidden), status) };

        var translated = KubeApiErrors.Translate(error, Server, "the trust bundle", CancellationToken.None)!;

        Assert.True(translated.Is(DaprErrors.KubeApiForbidden));
        Assert.Equal(new KubeApiFailure(403, "Forbidden", "secrets", "dapr-trust-bundle"), translated.ApiFailure);
        Assert.Equal(translated.ApiFailure, translated.Reraise("more context", translated, null).ApiFailure);
    }

    [Fact]
    public void A_body_that_is_not_a_Status_still_gives_the_status_code()
    {
        var error = new HttpOperationException("Operation returned an invalid status code") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.BadGateway), "<html>proxy</html>") };

        var translated = KubeApiErrors.Translate(error, Server, "namespaces", CancellationToken.None)!;

        Assert.Equal(new KubeApiFailure(502, null, null, null), translated.ApiFailure);
        Assert.DoesNotContain("proxy", translated.Message);
    }

    [Fact]
    public void Tls_failures_name_the_server_and_the_cause()
    {
        var error = new HttpRequestException("The SSL connection could not be established", new AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));

        var translated = KubeApiErrors.Translate(error, Server, "namespaces", CancellationToken.None)!;

        Assert.Equal("ClusterTlsFailure", translated.ErrorId);
        Assert.Equal(DaprErrorCategory.SecurityError, translated.Category);
        Assert.Contains(Server, translated.Message);
        Assert.Contains("remote certificate was rejected", translated.Message);
    }

    [Fact]
    public void Refused_connections_name_the_server()
    {
        var error = new HttpRequestException("Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused));

        var translated = KubeApiErrors.Translate(error, Server, "namespaces", CancellationToken.None)!;

        Assert.Equal("ClusterUnreachable", translated.ErrorId);
        Assert.Equal(DaprErrorCategory.ConnectionError, translated.Category);
        Assert.Contains(Server, translated.Message);
    }

    [Fact]
    public void The_users_own_cancellation_is_not_translated()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Null(KubeApiErrors.Translate(new OperationCanceledException(cts.Token), Server, "namespaces", cts.Token));
    }
}
