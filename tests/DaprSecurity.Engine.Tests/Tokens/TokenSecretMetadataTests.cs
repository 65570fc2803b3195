using DaprSecurity.Engine.Tokens;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenSecretMetadataTests
{
    [Fact]
    public void Stamping_keeps_other_keys_labels_and_annotations_and_records_fingerprint_and_time()
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["team"] = "a" }, Annotations = new Dictionary<string, string> { ["note"] = "x" } },
            Data = new Dictionary<string, byte[]> { ["other"] = new byte[] { 1 } },
        };
        var now = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

        TokenSecretMetadata.Stamp(secret, "tok"u8.ToArray(), "abc123", now);

        Assert.Equal(new[] { "other", "token" }, secret.Data.Keys.Order());
        Assert.Equal(("a", "DaprSecurity"), (secret.Metadata.Labels["team"], secret.Metadata.Labels["app.kubernetes.io/managed-by"]));
        Assert.Equal(("x", "abc123", "2026-11-20T10:00:00Z"), (secret.Metadata.Annotations["note"], secret.Metadata.Annotations["daprsecurity.io/token-fingerprint"], secret.Metadata.Annotations["daprsecurity.io/token-updated-at"]));
        Assert.Equal(now, TokenSecretMetadata.UpdatedAt(secret));
        Assert.True(TokenSecretMetadata.Holds(secret, "tok"u8));
        Assert.False(TokenSecretMetadata.Holds(secret, "tok2"u8));
    }

    [Fact]
    public void Without_our_annotation_the_change_time_is_the_newest_managed_field_else_the_creation()
    {
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var secret = new V1Secret { Metadata = new V1ObjectMeta { CreationTimestamp = created } };
        Assert.Equal(new DateTimeOffset(created), TokenSecretMetadata.UpdatedAt(secret));

        secret.Metadata.ManagedFields = new List<V1ManagedFieldsEntry> { new() { Time = created.AddDays(3) }, new() { Time = created.AddDays(1) } };
        Assert.Equal(new DateTimeOffset(created.AddDays(3)), TokenSecretMetadata.UpdatedAt(secret));
    }
}
