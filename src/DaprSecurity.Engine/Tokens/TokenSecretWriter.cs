using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Creates or updates one namespace's token secret so that repeating it is always safe: a create that finds the
/// secret already there, and an update that finds it changed (409), read it again and decide afresh. A write whose
/// answer was lost (a dropped connection the client retried) is recognised by its own timestamp on the re-read.
/// Other keys, labels and annotations are kept; a secret that already holds the token is not written at all.
/// </summary>
public sealed class TokenSecretWriter
{
    private readonly ClusterConnection _cluster;
    private readonly TimeProvider _clock;

    public TokenSecretWriter(ClusterConnection cluster, TimeProvider clock)
    {
        _cluster = cluster;
        _clock = clock;
    }

    public async Task<DaprTokenSecretResult> WriteAsync(string @namespace, string name, DaprTokenKind kind, byte[] token, string fingerprint, CancellationToken cancellationToken)
    {
        var target = $"secret {@namespace}/{name}";
        (DaprTokenSecretAction Action, string Stamp)? lastTry = null;
        return await ConflictRetry.RunAsync(
            async _ =>
            {
                var existing = await _cluster.GetOrNullAsync((c, ct) => c.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: ct), target, cancellationToken).ConfigureAwait(false);
                if (existing is not null && TokenSecretMetadata.Holds(existing, token))
                {
                    var ours = lastTry is { } tried && existing.Annotations()?.TryGetValue(TokenSecretMetadata.UpdatedAtAnnotation, out var stamp) == true && stamp == tried.Stamp;
                    return TokenSecretMetadata.Result(@namespace, name, kind, fingerprint, ours ? lastTry!.Value.Action : DaprTokenSecretAction.Unchanged, TokenSecretMetadata.UpdatedAt(existing));
                }

                if (existing?.Immutable == true)
                {
                    throw DaprErrors.TokenSecretImmutable.Raise($"The secret {@namespace}/{name} is immutable, so its token cannot be changed.",
                        target,
                        recommendedAction: "Delete it (Remove-DaprTokenSecret -Force) and run the command again, or use another -SecretName.");
                }

                var now = TokenSecretMetadata.Now(_clock);
                var secret = existing ?? new V1Secret { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace }, Type = "Opaque" };
                TokenSecretMetadata.Stamp(secret, token, fingerprint, now);
                lastTry = (existing is null ? DaprTokenSecretAction.Created : DaprTokenSecretAction.Updated, TokenSecretMetadata.Format(now));
                await WriteAsync(secret, existing is null, target, cancellationToken).ConfigureAwait(false);
                return TokenSecretMetadata.Result(@namespace, name, kind, fingerprint, lastTry.Value.Action, now);
            },
            // Changed between our read and our write (or our own write landed and its answer was lost): read again.
            race => race is DaprSecurityException e && (e.Is(DaprErrors.KubeApiAlreadyExists) || e.Is(DaprErrors.KubeApiConflict))).ConfigureAwait(false);
    }

    /// <summary>Creates or replaces the secret (API errors never carry the request body: see <see cref="KubeApiErrors"/>).</summary>
    private Task WriteAsync(V1Secret secret, bool create, string target, CancellationToken cancellationToken)
        => _cluster.CallAsync<V1Secret>(
            (c, ct) => create
                ? c.CoreV1.CreateNamespacedSecretAsync(secret, secret.Namespace(), cancellationToken: ct)
                : c.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Name(), secret.Namespace(), cancellationToken: ct),
            target,
            cancellationToken);
}
