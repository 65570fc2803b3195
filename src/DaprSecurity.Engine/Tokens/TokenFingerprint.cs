using System.Security;
using System.Security.Cryptography;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// A token's fingerprint: the first 12 lowercase hex characters of the SHA-256 of its UTF-8 bytes. Safe to show
/// (it cannot be turned back into the token) and the same whether computed from a token or from a Secret's data.
/// </summary>
public static class TokenFingerprint
{
    public const int Length = 12;

    public static string Of(ReadOnlySpan<byte> utf8Token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8Token, hash);
        return Convert.ToHexString(hash[..(Length / 2)]).ToLowerInvariant();
    }

    public static string Of(SecureString token)
    {
        var bytes = SecretText.ToUtf8(token);
        try
        {
            return Of(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
