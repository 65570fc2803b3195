using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// How a token secret records its history: the token's fingerprint and the time it last changed as annotations, and
/// the managed-by label, so a second run can tell what is already done. Readers fall back to the secret's own data and
/// creation time for secrets this module did not write.
/// </summary>
public static class TokenSecretMetadata
{
    public const string FingerprintAnnotation = "daprsecurity.io/token-fingerprint";
    public const string UpdatedAtAnnotation = "daprsecurity.io/token-updated-at";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "DaprSecurity";

    /// <summary>Whole seconds in UTC, like every Kubernetes timestamp and kubectl's restartedAt.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Now, truncated to whole seconds so it survives a round trip through <see cref="Format"/>.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>The token bytes under the "token" key; null when the key is missing.</summary>
    public static byte[]? Token(V1Secret secret) => secret.Data?.TryGetValue(TokenKinds.SecretKey, out var token) == true ? token : null;

    /// <summary>True when the secret holds exactly <paramref name="token"/> (compared in constant time).</summary>
    public static bool Holds(V1Secret secret, ReadOnlySpan<byte> token)
        => Token(secret) is { } stored && CryptographicOperations.FixedTimeEquals(stored, token);

    /// <summary>The fingerprint of the stored token, computed from the data (an annotation could be stale).</summary>
    public static string? Fingerprint(V1Secret secret) => Token(secret) is { } token ? TokenFingerprint.Of(token) : null;

    /// <summary>When the token last changed: our annotation, else the newest managedFields entry, else the creation time.</summary>
    public static DateTimeOffset? UpdatedAt(V1Secret secret)
    {
        if (secret.Annotations()?.TryGetValue(UpdatedAtAnnotation, out var text) == true
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var recorded))
        {
            return recorded;
        }

        var changed = secret.Metadata?.ManagedFields?.Where(f => f.Time is not null).Select(f => (DateTime?)f.Time).Max()
            ?? secret.Metadata?.CreationTimestamp;
        return changed is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
    }

    public static bool IsManaged(V1Secret secret) => secret.Labels()?.TryGetValue(ManagedByLabel, out var value) == true && value == ManagedByValue;

    /// <summary>Why the stored token is unusable (see <see cref="TokenRules"/>), or null.</summary>
    public static string? Problem(byte[] token)
    {
        var chars = Encoding.UTF8.GetChars(token);
        try
        {
            return TokenRules.Problem(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>Puts <paramref name="token"/> into <paramref name="secret"/> with the fingerprint, time and label.</summary>
    public static void Stamp(V1Secret secret, byte[] token, string fingerprint, DateTimeOffset now)
    {
        secret.Data ??= new Dictionary<string, byte[]>();
        secret.Data[TokenKinds.SecretKey] = token;
        secret.Metadata.Annotations ??= new Dictionary<string, string>();
        secret.Metadata.Annotations[FingerprintAnnotation] = fingerprint;
        secret.Metadata.Annotations[UpdatedAtAnnotation] = Format(now);
        secret.Metadata.Labels ??= new Dictionary<string, string>();
        secret.Metadata.Labels[ManagedByLabel] = ManagedByValue;
    }

    public static DaprTokenSecretResult Result(string @namespace, string name, DaprTokenKind kind, string fingerprint, DaprTokenSecretAction action, DateTimeOffset? updatedAt)
        => new() { Namespace = @namespace, SecretName = name, Kind = kind, Fingerprint = fingerprint, Action = action, UpdatedAt = updatedAt };
}
