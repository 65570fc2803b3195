using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenRulesTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("secret-token\n", "position 13 of 13")]
    [InlineData("two words", "whitespace")]
    [InlineData("caf\u00e9-token", "non-ASCII")]
    public void Malformed_tokens_are_rejected_with_the_reason_and_never_the_token(string text, string reason)
    {
        var token = TokenInspector.Describe(SecretText.ToSecureString(text), DaprTokenKind.App);

        var error = Assert.Throws<DaprSecurityException>(() => TokenRules.EnsureWellFormed(token));

        Assert.Equal("TokenMalformed", error.ErrorId);
        Assert.Contains(reason, error.Message);
        Assert.Contains(token.Fingerprint, error.Message);
        if (text.Length > 0)
        {
            Assert.DoesNotContain(text.Trim(), error.Message);
        }
    }

    [Fact]
    public void Overlong_tokens_are_rejected()
    {
        Assert.Contains("limit", TokenRules.Problem(new string('a', TokenRules.MaxLength + 1)));
        Assert.Null(TokenRules.Problem(new string('a', TokenRules.MaxLength)));
    }

    [Theory]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")]
    [InlineData("opaque_token-With.Dots~and+/=")]
    [InlineData("$pecial#chars'\"`")]
    public void Printable_ascii_tokens_are_accepted(string text)
        => Assert.Null(TokenRules.Problem(text));
}
