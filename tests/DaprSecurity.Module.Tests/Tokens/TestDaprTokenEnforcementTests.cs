using System.Net;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Tokens;

public sealed class TestDaprTokenEnforcementTests : IDisposable
{
    private const string Token = "the-right-token";
    private readonly PowerShellSession _session = new();

    [Fact]
    public void An_app_that_checks_the_token_is_Enforced()
    {
        using var app = TokenCheckingApp.Checking(Token);

        var result = Probe(app.Url);

        Assert.Equal(("Enforced", true), (result.Properties["Status"].Value.ToString(), result.Properties["Enforced"].Value));
        Assert.Equal((401, 403, 200), ((int)result.Properties["WithoutToken"].Value, (int)result.Properties["WithWrongToken"].Value, (int)result.Properties["WithToken"].Value));
    }

    [Fact]
    public void An_app_that_never_checks_is_NotEnforced_with_advice()
    {
        using var app = new TokenCheckingApp(_ => HttpStatusCode.OK);

        var result = Probe(app.Url);

        Assert.Equal(("NotEnforced", false), (result.Properties["Status"].Value.ToString(), result.Properties["Enforced"].Value));
        Assert.Contains("does not check APP_API_TOKEN", (string)result.Properties["Message"].Value);
    }

    [Fact]
    public void An_app_that_only_checks_presence_is_WrongTokenAccepted()
    {
        using var app = new TokenCheckingApp(header => header is null ? HttpStatusCode.Unauthorized : HttpStatusCode.OK);

        Assert.Equal("WrongTokenAccepted", Probe(app.Url).Properties["Status"].Value.ToString());
    }

    [Fact]
    public void An_endpoint_expecting_another_token_is_TokenRejected()
    {
        using var app = TokenCheckingApp.Checking("some-other-token");

        Assert.Equal("TokenRejected", Probe(app.Url).Properties["Status"].Value.ToString());
    }

    [Fact]
    public void Probing_daprd_health_warns_that_it_is_never_token_checked()
    {
        using var app = new TokenCheckingApp(_ => HttpStatusCode.NoContent);

        var result = _session.Run("Test-DaprTokenEnforcement -Uri $uri -Token $t -Kind Api", new Dictionary<string, object?> { ["uri"] = $"http://127.0.0.1:{app.Port}/v1.0/healthz", ["t"] = Token }).ThrowOnError();

        Assert.Contains(result.Warnings, w => w.Contains("/v1.0/healthz"));
        Assert.Contains("DAPR_API_TOKEN is not set", (string)Assert.Single(result.Output).Properties["Message"].Value);
    }

    [Fact]
    public void An_unreachable_endpoint_is_a_connection_error()
    {
        var result = _session.Run("Test-DaprTokenEnforcement -Uri $uri -Token $t", new Dictionary<string, object?> { ["uri"] = $"http://127.0.0.1:{TokenCheckingApp.FreePort()}/", ["t"] = Token });

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("TokenEndpointUnreachable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void The_token_never_appears_in_any_stream()
    {
        using var app = TokenCheckingApp.Checking(Token);

        var result = _session.Run("$t | Test-DaprTokenEnforcement -Uri $uri -Verbose -Debug", new Dictionary<string, object?> { ["uri"] = app.Url, ["t"] = Token }).ThrowOnError();

        Assert.NotEmpty(result.Verbose);
        Assert.DoesNotContain(Token, result.AllText());
    }

    private System.Management.Automation.PSObject Probe(string uri)
        => Assert.Single(_session.Run("Test-DaprTokenEnforcement -Uri $uri -Token $t", new Dictionary<string, object?> { ["uri"] = uri, ["t"] = Token }).ThrowOnError().Output);

    public void Dispose() => _session.Dispose();
}
