namespace DaprSecurity.Output;

/// <summary>The shape of a token. Dapr compares tokens as opaque strings either way.</summary>
public enum DaprTokenFormat
{
    /// <summary>A signed JSON Web Token whose claims (iat, jti, exp...) record where it came from.</summary>
    Jwt,

    /// <summary>Random bytes, base64url-encoded.</summary>
    Opaque,
}
