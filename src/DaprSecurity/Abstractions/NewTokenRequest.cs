using System.Collections;
using System.Security;
using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>
/// What New-DaprAppToken asks for. Algorithm is HS256, HS384 or HS512 (JWT only); SigningKey is the HMAC key (its UTF-8
/// bytes), null for a fresh random key; Claims are extra JWT claims (strings, numbers, booleans, arrays, hashtables);
/// AzurePipelinesVariable, when set, also publishes the token as that secret pipeline variable.
/// </summary>
public sealed record NewTokenRequest(
    DaprTokenKind Kind,
    DaprTokenFormat Format,
    string Algorithm,
    SecureString? SigningKey,
    string? Issuer,
    string? Audience,
    string? Subject,
    TimeSpan? ExpiresIn,
    IDictionary? Claims,
    string? AzurePipelinesVariable);
