using System.Security;
using System.Text;
using System.Text.Json;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using Microsoft.IdentityModel.Tokens;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Describes a token given as text: its fingerprint and, when it is a JWT, the algorithm and the iat, exp and jti
/// claims. Only the header and payload are decoded; the signature is never copied out of its buffer, and nothing is verified.
/// </summary>
public static class TokenInspector
{
    public static DaprToken Describe(SecureString token, DaprTokenKind kind)
    {
        var chars = SecretText.ToChars(token);
        var bytes = Encoding.UTF8.GetBytes(chars);
        try
        {
            var jwt = ReadJwt(chars);
            var copy = token.Copy();
            copy.MakeReadOnly();
            return new DaprToken
            {
                Kind = kind,
                Format = jwt is null ? DaprTokenFormat.Opaque : DaprTokenFormat.Jwt,
                Algorithm = jwt?.Algorithm,
                IssuedAt = jwt?.IssuedAt,
                ExpiresAt = jwt?.ExpiresAt,
                Id = jwt?.Id,
                Fingerprint = TokenFingerprint.Of(bytes),
                Token = copy,
            };
        }
        finally
        {
            Array.Clear(chars);
            Array.Clear(bytes);
        }
    }

    private sealed record JwtFacts(string Algorithm, DateTimeOffset? IssuedAt, DateTimeOffset? ExpiresAt, string? Id);

    /// <summary>The facts of a JWT (three base64url segments, a JSON header with alg, a JSON payload), or null.</summary>
    private static JwtFacts? ReadJwt(ReadOnlySpan<char> token)
    {
        var firstDot = token.IndexOf('.');
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token[(firstDot + 1)..lastDot].Contains('.'))
        {
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token[..firstDot].ToString()));
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token[(firstDot + 1)..lastDot].ToString()));
            if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object
                || !header.RootElement.TryGetProperty("alg", out var algorithm) || algorithm.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var claims = payload.RootElement;
            return new JwtFacts(algorithm.GetString()!, Seconds(claims, "iat"), Seconds(claims, "exp"), claims.TryGetProperty("jti", out var id) ? id.ToString() : null);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Seconds(JsonElement claims, string name)
        => claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
