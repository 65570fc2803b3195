using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// What a usable token looks like: 1 to 4096 printable ASCII characters without spaces. Dapr accepts any string, but a
/// header cannot carry control characters, and a stray space or newline (the classic <c>echo</c> into a file) makes
/// a token that never matches. Errors name the token by fingerprint only.
/// </summary>
public static class TokenRules
{
    public const int MaxLength = DaprSecurity.Validation.InputRules.MaxTokenLength;

    /// <summary>Throws TokenMalformed when <paramref name="token"/> cannot be used as a Dapr token.</summary>
    public static void EnsureWellFormed(DaprToken token)
    {
        var chars = SecretText.ToChars(token.Token);
        try
        {
            var problem = Problem(chars);
            if (problem is not null)
            {
                throw DaprErrors.TokenMalformed.Raise($"The token {token.Fingerprint} is malformed: {problem}",
                    token.Fingerprint,
                    recommendedAction: "Pass the token exactly as it should appear in the dapr-api-token header, or create one with New-DaprAppToken.");
            }
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>Why <paramref name="token"/> is unusable, or null when it is fine.</summary>
    public static string? Problem(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return "it is empty.";
        }

        if (token.Length > MaxLength)
        {
            return $"it is {token.Length} characters long; the limit is {MaxLength}.";
        }

        for (var i = 0; i < token.Length; i++)
        {
            var ch = token[i];
            if (char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                return $"it contains whitespace or a control character at position {i + 1} of {token.Length} (a trailing newline from a file is the usual cause).";
            }

            if (ch > '~')
            {
                return $"it contains a non-ASCII character at position {i + 1}; HTTP headers carry ASCII only.";
            }
        }

        return null;
    }
}
