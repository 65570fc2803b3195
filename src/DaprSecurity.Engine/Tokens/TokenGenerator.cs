using System.Collections;
using System.Security.Cryptography;
using System.Text.Json;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Creates tokens: HMAC-signed JWTs (System.IdentityModel.Tokens.Jwt's handler) carrying iat and jti, or 256 random
/// bits base64url-encoded. The plain token exists only in buffers cleared before returning (and, for JWTs, in the
/// string the JWT library returns).
/// </summary>
public static class TokenGenerator
{
    /// <summary>Random bytes in an opaque token (256 bits).</summary>
    public const int OpaqueBytes = 32;

    /// <summary>Minimum HMAC key sizes: the hash output size (RFC 7518 section 3.2).</summary>
    private static readonly Dictionary<string, int> s_keyBytes = new(StringComparer.OrdinalIgnoreCase)
    {
        [SecurityAlgorithms.HmacSha256] = 32,
        [SecurityAlgorithms.HmacSha384] = 48,
        [SecurityAlgorithms.HmacSha512] = 64,
    };

    /// <summary>Claims the generator sets itself, each with the parameter that controls it.</summary>
    private static readonly Dictionary<string, string> s_reservedClaims = new(StringComparer.Ordinal)
    {
        ["iat"] = "(set to the time of creation)",
        ["jti"] = "(a new GUID per token)",
        ["exp"] = "-ExpiresIn",
        ["nbf"] = "(not used)",
        ["iss"] = "-Issuer",
        ["aud"] = "-Audience",
        ["sub"] = "-Subject",
    };

    public static DaprToken Generate(NewTokenRequest request, DateTimeOffset now)
    {
        Validate(request);
        return request.Format == DaprTokenFormat.Opaque ? Opaque(request.Kind, now) : Jwt(request, now);
    }

    private static void Validate(NewTokenRequest request)
    {
        if (request.Format == DaprTokenFormat.Opaque)
        {
            var jwtOnly = new (string Name, bool Given)[]
            {
                ("-SigningKey", request.SigningKey is not null), ("-Issuer", request.Issuer is not null), ("-Audience", request.Audience is not null),
                ("-Subject", request.Subject is not null), ("-ExpiresIn", request.ExpiresIn is not null), ("-Claim", request.Claims is { Count: > 0 }),
            }.Where(p => p.Given).Select(p => p.Name).ToList();
            if (jwtOnly.Count > 0)
            {
                throw InvalidArgument(DaprErrors.TokenParameterNotApplicable, $"{string.Join(", ", jwtOnly)} apply to JWT tokens only; an opaque token is random bytes with no claims.", request.Format);
            }

            return;
        }

        if (!s_keyBytes.ContainsKey(request.Algorithm))
        {
            throw InvalidArgument(DaprErrors.TokenAlgorithmNotSupported, $"'{request.Algorithm}' is not supported; use HS256, HS384 or HS512.", request.Algorithm);
        }

        if (request.ExpiresIn is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            throw InvalidArgument(DaprErrors.TokenLifetimeInvalid, $"-ExpiresIn must be positive, not {lifetime}.", lifetime);
        }

        foreach (var name in (request.Claims?.Keys ?? Array.Empty<object>()).Cast<object>().Select(k => k?.ToString() ?? ""))
        {
            if (s_reservedClaims.TryGetValue(name, out var owner))
            {
                throw InvalidArgument(DaprErrors.TokenClaimReserved, $"The claim '{name}' cannot be set with -Claim; it is controlled by {owner}.", name);
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw InvalidArgument(DaprErrors.TokenClaimInvalid, "-Claim has an empty claim name.", name);
            }
        }

        foreach (DictionaryEntry claim in request.Claims ?? new Hashtable())
        {
            if (!IsClaimValue(claim.Value, allowArray: true))
            {
                throw InvalidArgument(DaprErrors.TokenClaimInvalid, $"The claim '{claim.Key}' has a value of type {claim.Value?.GetType().Name ?? "null"}; a claim is a string, a number, a boolean or an array of those.", claim.Key);
            }
        }
    }

    private static bool IsClaimValue(object? value, bool allowArray) => value switch
    {
        string or bool or int or long or short or byte or sbyte or uint or ulong or ushort or float or double or decimal => true,
        Array items when allowArray => items.Cast<object?>().All(i => IsClaimValue(i, allowArray: false)),
        _ => false,
    };

    private static DaprToken Opaque(DaprTokenKind kind, DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[OpaqueBytes];
        RandomNumberGenerator.Fill(random);
        var chars = new char[(OpaqueBytes + 2) / 3 * 4];
        try
        {
            Convert.TryToBase64Chars(random, chars, out var written);
            var length = written;
            while (length > 0 && chars[length - 1] == '=')
            {
                length--;
            }

            for (var i = 0; i < length; i++)
            {
                chars[i] = chars[i] switch { '+' => '-', '/' => '_', var c => c };
            }

            return Token(kind, DaprTokenFormat.Opaque, algorithm: null, now, expiresAt: null, id: null, chars.AsSpan(0, length));
        }
        finally
        {
            random.Clear();
            Array.Clear(chars);
        }
    }

    private static DaprToken Jwt(NewTokenRequest request, DateTimeOffset now)
    {
        var algorithm = s_keyBytes.Keys.First(a => a.Equals(request.Algorithm, StringComparison.OrdinalIgnoreCase));
        var key = request.SigningKey is null ? RandomNumberGenerator.GetBytes(s_keyBytes[algorithm]) : SecretText.ToUtf8(request.SigningKey);
        try
        {
            if (key.Length < s_keyBytes[algorithm])
            {
                throw InvalidArgument(DaprErrors.SigningKeyTooShort,
                    $"The signing key is {key.Length} bytes; {algorithm} needs at least {s_keyBytes[algorithm]} bytes ({s_keyBytes[algorithm] * 8} bits).",
                    algorithm);
            }

            var id = Guid.NewGuid().ToString();
            var expiresAt = request.ExpiresIn is { } lifetime ? now + lifetime : (DateTimeOffset?)null;
            var claims = new Dictionary<string, object> { ["jti"] = id };
            if (request.Subject is not null)
            {
                claims["sub"] = request.Subject;
            }

            foreach (DictionaryEntry claim in request.Claims ?? new Hashtable())
            {
                claims[claim.Key.ToString()!] = JsonSerializer.SerializeToElement(claim.Value);
            }

            var descriptor = new SecurityTokenDescriptor
            {
                IssuedAt = now.UtcDateTime,
                Expires = expiresAt?.UtcDateTime,
                Issuer = request.Issuer,
                Audience = request.Audience,
                Claims = claims,
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), algorithm),
            };
            var jwt = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
            return Token(request.Kind, DaprTokenFormat.Jwt, algorithm, now, expiresAt, id, jwt);
        }
        finally
        {
            Array.Clear(key);
        }
    }

    private static DaprToken Token(DaprTokenKind kind, DaprTokenFormat format, string? algorithm, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, string? id, ReadOnlySpan<char> token)
    {
        var utf8 = new byte[token.Length];
        try
        {
            System.Text.Encoding.ASCII.GetBytes(token, utf8);
            return new DaprToken
            {
                Kind = kind,
                Format = format,
                Algorithm = algorithm,
                IssuedAt = issuedAt,
                ExpiresAt = expiresAt,
                Id = id,
                Fingerprint = TokenFingerprint.Of(utf8),
                Token = SecretText.ToSecureString(token),
            };
        }
        finally
        {
            Array.Clear(utf8);
        }
    }

    private static DaprSecurityException InvalidArgument(DaprError error, string message, object? target) => error.Raise(message, target);
}
