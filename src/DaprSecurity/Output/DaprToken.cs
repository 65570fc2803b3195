using System.Security;
using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>
/// A Dapr API token. The token itself is only in <see cref="Token"/>, a SecureString; nothing else, ToString()
/// included, reveals it. <see cref="Fingerprint"/> identifies it safely in logs and across namespaces.
/// </summary>
public sealed class DaprToken
{
    [TableColumn(0, Width = 4)]
    public DaprTokenKind Kind { get; init; }

    [TableColumn(1, Width = 6)]
    public DaprTokenFormat Format { get; init; }

    /// <summary>The JWT signing algorithm (HS256, HS384, HS512); null for opaque tokens.</summary>
    [TableColumn(2, Width = 9)]
    public string? Algorithm { get; init; }

    /// <summary>The first 12 hex characters of the SHA-256 of the token: safe to show, enough to tell tokens apart.</summary>
    [TableColumn(3, Width = 12)]
    public string Fingerprint { get; init; } = "";

    /// <summary>The JWT's iat claim; null when unknown (opaque tokens given as text).</summary>
    [TableColumn(5, Wide = true)]
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>The JWT's exp claim, if any. Dapr itself never checks it.</summary>
    [TableColumn(4, Width = 26)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The JWT's jti claim, if any.</summary>
    public string? Id { get; init; }

    /// <summary>The token. Use -AsPlainText on New-DaprAppToken, or [System.Net.NetworkCredential]::new('', $t.Token).Password, to read it.</summary>
    public SecureString Token { get; init; } = new();

    /// <summary>Why the -Token transformation could not take the value given; the cmdlet then refuses it (TokenMalformed) before any work.</summary>
    internal string? Rejection { get; init; }

    public override string ToString() => $"{Kind} token {Fingerprint}";
}
