using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenServiceTests
{
    [Fact]
    public void A_new_token_is_issued_at_the_commands_clock_in_whole_seconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-02T03:04:05.678Z", System.Globalization.CultureInfo.InvariantCulture));
        var request = new NewTokenRequest(DaprTokenKind.App, DaprTokenFormat.Jwt, "HS256", SecretText.ToSecureString(new string('k', 32)), null, null, null, TimeSpan.FromHours(1), null, null);

        var token = new TokenService().New(request, new FakeEngineHost { Clock = clock });

        Assert.Equal(DateTimeOffset.Parse("2030-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture), token.IssuedAt);
        Assert.Equal(DateTimeOffset.Parse("2030-01-02T04:04:05Z", System.Globalization.CultureInfo.InvariantCulture), token.ExpiresAt);
    }
}
