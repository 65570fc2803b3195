using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenGeneratorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Theory]
    [InlineData("HS256", 32)]
    [InlineData("HS384", 48)]
    [InlineData("HS512", 64)]
    public async Task Jwt_is_signed_with_the_given_key_and_carries_iat_and_jti_only(string algorithm, int keyBytes)
    {
        var key = new string('k', keyBytes);

        var token = TokenGenerator.Generate(Request(algorithm: algorithm, signingKey: key), Now);

        var jwt = SecretText.ToPlainText(token.Token);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var parsed = new JsonWebToken(jwt);
        Assert.Equal(algorithm, parsed.Alg);
        Assert.Equal(new[] { "iat", "jti" }, parsed.Claims.Select(c => c.Type).Order());
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(), parsed.GetClaim("iat").Value);
        Assert.Equal(token.Id, parsed.Id);
        Assert.Equal((DaprTokenFormat.Jwt, algorithm, Now, (DateTimeOffset?)null), (token.Format, token.Algorithm, token.IssuedAt!.Value, token.ExpiresAt));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(jwt)))[..12].ToLowerInvariant(), token.Fingerprint);
    }

    [Fact]
    public void Jwt_carries_issuer_audience_subject_expiry_and_extra_claims()
    {
        var claims = new Hashtable { ["env"] = "prod", ["level"] = 3, ["roles"] = new object[] { "a", "b" } };

        var token = TokenGenerator.Generate(Request(issuer: "platform", audience: "orders", subject: "ci", expiresIn: TimeSpan.FromDays(30), claims: claims), Now);

        using var payload = Payload(token);
        var root = payload.RootElement;
        Assert.Equal("platform", root.GetProperty("iss").GetString());
        Assert.Equal("orders", root.GetProperty("aud").GetString());
        Assert.Equal("ci", root.GetProperty("sub").GetString());
        Assert.Equal((Now + TimeSpan.FromDays(30)).ToUnixTimeSeconds(), root.GetProperty("exp").GetInt64());
        Assert.Equal("prod", root.GetProperty("env").GetString());
        Assert.Equal(3, root.GetProperty("level").GetInt32());
        Assert.Equal(new[] { "a", "b" }, root.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Now + TimeSpan.FromDays(30), token.ExpiresAt);
    }

    [Fact]
    public void Without_a_signing_key_every_token_gets_its_own_random_key()
    {
        var first = TokenGenerator.Generate(Request(), Now);
        var second = TokenGenerator.Generate(Request(), Now);

        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
        Assert.NotEqual(Signature(first), Signature(second));
    }

    [Theory]
    [InlineData("HS256", 31)]
    [InlineData("HS384", 47)]
    [InlineData("HS512", 63)]
    public void A_key_shorter_than_the_hash_is_rejected_without_echoing_it(string algorithm, int keyBytes)
    {
        var key = new string('s', keyBytes);

        var error = Assert.Throws<DaprSecurityException>(() => TokenGenerator.Generate(Request(algorithm: algorithm, signingKey: key), Now));

        Assert.Equal("SigningKeyTooShort", error.ErrorId);
        Assert.Equal(DaprErrorCategory.InvalidArgument, error.Category);
        Assert.Contains($"{keyBytes} bytes", error.Message);
        Assert.DoesNotContain(key, error.Message);
    }

    [Fact]
    public void Opaque_token_is_256_random_bits_in_base64url()
    {
        var token = TokenGenerator.Generate(Request(format: DaprTokenFormat.Opaque), Now);
        var other = TokenGenerator.Generate(Request(format: DaprTokenFormat.Opaque), Now);

        var text = SecretText.ToPlainText(token.Token);
        Assert.Equal(43, text.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(text).Length);
        Assert.Equal((DaprTokenFormat.Opaque, (string?)null, (string?)null), (token.Format, token.Algorithm, token.Id));
        Assert.NotEqual(token.Fingerprint, other.Fingerprint);
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("exp")]
    [InlineData("sub")]
    public void Claims_the_generator_owns_cannot_be_set_with_Claim(string claim)
    {
        var error = Assert.Throws<DaprSecurityException>(() => TokenGenerator.Generate(Request(claims: new Hashtable { [claim] = 1 }), Now));

        Assert.Equal("TokenClaimReserved", error.ErrorId);
    }

    [Fact]
    public void Jwt_parameters_with_an_opaque_token_are_an_error_naming_them()
    {
        var error = Assert.Throws<DaprSecurityException>(() => TokenGenerator.Generate(Request(format: DaprTokenFormat.Opaque, issuer: "x", expiresIn: TimeSpan.FromDays(1)), Now));

        Assert.Equal("TokenParameterNotApplicable", error.ErrorId);
        Assert.Contains("-Issuer, -ExpiresIn", error.Message);
    }

    [Fact]
    public void A_non_positive_lifetime_is_rejected()
    {
        var error = Assert.Throws<DaprSecurityException>(() => TokenGenerator.Generate(Request(expiresIn: TimeSpan.Zero), Now));

        Assert.Equal("TokenLifetimeInvalid", error.ErrorId);
    }

    [Fact]
    public void Description_of_a_generated_jwt_matches_the_generator()
    {
        var token = TokenGenerator.Generate(Request(kind: DaprTokenKind.Api, expiresIn: TimeSpan.FromHours(1)), Now);

        var described = TokenInspector.Describe(token.Token, DaprTokenKind.Api);

        Assert.Equal(
            (token.Kind, token.Format, token.Algorithm, token.IssuedAt, token.ExpiresAt, token.Id, token.Fingerprint),
            (described.Kind, described.Format, described.Algorithm, described.IssuedAt, described.ExpiresAt, described.Id, described.Fingerprint));
        Assert.NotSame(token.Token, described.Token);
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.sig.extra")]
    public void Text_that_is_not_a_jwt_is_described_as_opaque(string text)
    {
        var described = TokenInspector.Describe(SecretText.ToSecureString(text), DaprTokenKind.App);

        Assert.Equal(DaprTokenFormat.Opaque, described.Format);
        Assert.Null(described.Algorithm);
        Assert.Equal(TokenFingerprint.Of(Encoding.UTF8.GetBytes(text)), described.Fingerprint);
    }

    [Fact]
    public void Fingerprint_is_the_first_12_hex_characters_of_sha256()
    {
        Assert.Equal("ba7816bf8f01", TokenFingerprint.Of("abc"u8));
        Assert.Equal("ba7816bf8f01", TokenFingerprint.Of(SecretText.ToSecureString("abc")));
    }

    [Fact]
    public void ToString_shows_kind_and_fingerprint_but_never_the_token()
    {
        var token = TokenGenerator.Generate(Request(format: DaprTokenFormat.Opaque), Now);

        Assert.Equal($"App token {token.Fingerprint}", token.ToString());
        Assert.DoesNotContain(SecretText.ToPlainText(token.Token), token.ToString());
    }

    private static NewTokenRequest Request(
        DaprTokenKind kind = DaprTokenKind.App,
        DaprTokenFormat format = DaprTokenFormat.Jwt,
        string algorithm = "HS256",
        string? signingKey = null,
        string? issuer = null,
        string? audience = null,
        string? subject = null,
        TimeSpan? expiresIn = null,
        Hashtable? claims = null)
        => new(kind, format, algorithm, signingKey is null ? null : SecretText.ToSecureString(signingKey), issuer, audience, subject, expiresIn, claims, null);

    private static JsonDocument Payload(DaprToken token)
        => JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(SecretText.ToPlainText(token.Token).Split('.')[1]));

    private static string Signature(DaprToken token) => SecretText.ToPlainText(token.Token).Split('.')[2];
}
