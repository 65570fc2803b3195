using System.Runtime.CompilerServices;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Text;
using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Tokens;

/// <summary>The engine's <see cref="ITokenSecretService"/>: token secrets across namespaces, one namespace list per run.</summary>
public sealed class TokenSecretService : ITokenSecretService
{
    /// <summary>Deletes in flight at once.</summary>
    private const int RemoveConcurrency = 8;

    /// <summary>How many namespaces a summary message names before it says "and N more".</summary>
    private const int NamesInSummary = 10;

    public async IAsyncEnumerable<DaprTokenSecretResult> SetAsync(IClusterConnection connection, SetTokenSecretRequest request, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TokenRules.EnsureWellFormed(request.Token);
        var cluster = ClusterConnection.From(connection);
        var name = request.SecretName ?? TokenKinds.DefaultSecretName(request.Kind);
        var fingerprint = request.Token.Fingerprint;
        var namespaces = (await SelectAsync(cluster, request.Namespaces, host, cancellationToken).ConfigureAwait(false))
            .Where(ns => host.ShouldProcess($"secret {ns}/{name}", $"Store {request.Kind} token {fingerprint}"))
            .ToList();
        if (namespaces.Count == 0)
        {
            yield break;
        }

        var token = SecretText.ToUtf8(request.Token.Token);
        try
        {
            var writer = new TokenSecretWriter(cluster, host.Clock);
            var progress = new ProgressReporter(host, $"Storing {request.Kind} token {fingerprint} in secret {name}", namespaces.Count);
            var failed = new List<string>();
            var attempts = BoundedParallel.StreamAsync(
                namespaces,
                request.ThrottleLimit,
                (ns, ct) => Attempt<string, DaprTokenSecretResult>.RunAsync(ns, async () =>
                {
                    var written = await writer.WriteAsync(ns, name, request.Kind, token, fingerprint, ct).ConfigureAwait(false);
                    host.Work.Done($"secret {ns}/{name}"); // as soon as the API answered: a stop may come before the result is read
                    return written;
                }),
                cancellationToken);
            await foreach (var attempt in attempts.ConfigureAwait(false))
            {
                progress.Advance(attempt.Item);
                if (attempt.Error is not null)
                {
                    failed.Add(attempt.Item);
                    host.WriteError(attempt.Error);
                    continue;
                }

                host.WriteVerbose($"{attempt.Item}: {attempt.Result!.Action} secret {name} (token {fingerprint}).");
                yield return attempt.Result;
            }

            progress.Complete();
            if (failed.Count > 0)
            {
                host.WriteWarning($"Secret {name} was not written in {failed.Count} of {namespaces.Count} namespaces: {Summary(failed)}. "
                    + "Fix the errors and run the same command again: namespaces that already hold the token are left unchanged.");
            }
        }
        finally
        {
            Array.Clear(token);
        }
    }

    /// <summary>
    /// The token secrets of each namespace as soon as every workload list has passed it (see
    /// <see cref="NamespaceWorkloads"/>): the secrets its workloads name, the default names, and (without
    /// <paramref name="secretNames"/>) those labelled as ours. The lists of the default names and the label start with
    /// the workload lists (with the namespace list, for patterns that may select many); a name first referenced in a
    /// namespace is read then, cluster-wide for every namespace.
    /// </summary>
    public async IAsyncEnumerable<DaprTokenSecretInfo> GetAsync(IClusterConnection connection, IReadOnlyList<string> namespacePatterns, IReadOnlyList<string>? secretNames, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var namespaces = SelectAsync(cluster, namespacePatterns, host, cancellationToken);
        if (!NamespaceSelector.MaySelectMany(namespacePatterns))
        {
            await namespaces.ConfigureAwait(false); // one namespace: read alone, once it is known
        }

        var fixedNames = (secretNames ?? Enum.GetValues<DaprTokenKind>().Select(TokenKinds.DefaultSecretName).ToList()).ToHashSet(StringComparer.Ordinal);
        using var stopFixed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loadingFixed = TokenSecretIndex.LoadAsync(cluster, fixedNames, namespaces, includeManaged: secretNames is null, stopFixed.Token);
        TokenSecretIndex? index = null;
        var read = new HashSet<string>(fixedNames, StringComparer.Ordinal);
        var fingerprints = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal); // per secret name, namespaces per token
        try
        {
            await foreach (var (ns, workloads, _) in NamespaceWorkloads.ReadAsync(cluster, namespaces, withPods: false, cancellationToken).ConfigureAwait(false))
            {
                index ??= await loadingFixed.ConfigureAwait(false);
                var referenced = workloads.SelectMany(w => TokenReferences.Of(w).Select(r => (Workload: w, r.Secret, r.Kind))).ToList();
                var named = referenced.Select(r => r.Secret).ToHashSet(StringComparer.Ordinal);
                if (secretNames is null && named.Where(read.Add).ToList() is { Count: > 0 } unread)
                {
                    index = index.Merge(await TokenSecretIndex.LoadAsync(cluster, unread, namespaces, includeManaged: false, cancellationToken).ConfigureAwait(false));
                }

                var present = index.In(ns).Where(s => fixedNames.Contains(s.Name()) || named.Contains(s.Name()) || TokenSecretMetadata.IsManaged(s)).Select(s => s.Name());
                foreach (var name in named.Concat(present).Where(n => secretNames is null || secretNames.Contains(n)).Distinct().Order(StringComparer.Ordinal))
                {
                    var uses = referenced.Where(r => r.Secret == name).ToList();
                    var consumers = uses.Select(u => u.Workload).Distinct().ToList();
                    var row = Describe(ns, name, index.Find(ns, name), consumers, uses.Select(u => u.Kind).Distinct().Order().ToArray());
                    if (row.Status == DaprTokenSecretStatus.Dangling)
                    {
                        host.WriteWarning($"{string.Join(", ", consumers.Select(w => w.DisplayName))} {(consumers.Count == 1 ? "references" : "reference")} secret {name}, which does not exist in {ns}: new pods fail with CreateContainerConfigError.");
                    }

                    if (row.Fingerprint is not null)
                    {
                        var counts = fingerprints.TryGetValue(name, out var c) ? c : fingerprints[name] = new Dictionary<string, int>(StringComparer.Ordinal);
                        counts[row.Fingerprint] = counts.GetValueOrDefault(row.Fingerprint) + 1;
                    }

                    yield return row;
                }
            }
        }
        finally
        {
            // Not awaited when the workloads failed or the caller stopped early: stop it and observe how it ended.
            await NamespaceList.StopAsync(stopFixed, new[] { loadingFixed }).ConfigureAwait(false);
        }

        foreach (var (name, counts) in fingerprints.Where(f => f.Value.Count > 1))
        {
            var summary = counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} ({c.Value})");
            host.WriteVerbose($"Secret {name} holds {counts.Count} different tokens across {counts.Values.Sum()} namespaces: {string.Join(", ", summary)}.");
        }
    }

    public async IAsyncEnumerable<DaprTokenSecretResult> RemoveAsync(IClusterConnection connection, RemoveTokenSecretRequest request, IEngineHost host, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var name = request.SecretName ?? TokenKinds.DefaultSecretName(request.Kind);
        var namespaces = await SelectAsync(cluster, request.Namespaces, host, cancellationToken).ConfigureAwait(false);
        var named = request.Namespaces.Where(p => !Wildcard.HasWildcards(p)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Both reads at once, awaited together: neither is left unobserved when the other fails.
        var workloads = new WorkloadCatalog(cluster).ListInNamespacesAsync(namespaces, daprEnabledOnly: false, cancellationToken);
        var secrets = TokenSecretIndex.LoadAsync(cluster, new[] { name }, namespaces, includeManaged: false, cancellationToken);
        await Task.WhenAll(workloads, secrets).ConfigureAwait(false);
        var consumers = (await workloads.ConfigureAwait(false)).Where(w => TokenReferences.Uses(w, name)).ToLookup(w => w.Namespace);
        var index = await secrets.ConfigureAwait(false);

        var doomed = new List<V1Secret>();
        foreach (var ns in namespaces)
        {
            if (index.Find(ns, name) is not { } secret)
            {
                if (named.Contains(ns))
                {
                    host.WriteError(DaprErrors.TokenSecretNotFound.Raise($"Namespace {ns} has no secret {name}.", $"{ns}/{name}"));
                }

                continue;
            }

            if (consumers[ns].Any() && !request.Force)
            {
                host.WriteError(DaprErrors.TokenSecretInUse.Raise($"Secret {ns}/{name} was not removed: {string.Join(", ", consumers[ns].Select(w => w.DisplayName))} {(consumers[ns].Count() == 1 ? "references it, and its pods" : "reference it, and their pods")} would fail with CreateContainerConfigError.",
                    $"{ns}/{name}",
                    recommendedAction: "Point the workloads at another secret (Set-DaprSidecarAnnotation) first, or use -Force."));
                continue;
            }

            if (host.ShouldProcess($"secret {ns}/{name}", consumers[ns].Any() ? "Remove (still referenced by workloads)" : "Remove"))
            {
                doomed.Add(secret);
            }
        }

        var progress = new ProgressReporter(host, $"Removing secret {name}", doomed.Count);
        var attempts = BoundedParallel.StreamAsync(doomed, RemoveConcurrency, (secret, ct) => Attempt<V1Secret, DaprTokenSecretResult>.RunAsync(secret, async () =>
        {
            var target = $"secret {secret.Namespace()}/{name}";
            await cluster.GetOrNullAsync((c, t) => c.CoreV1.DeleteNamespacedSecretAsync(name, secret.Namespace(), cancellationToken: t), target, ct).ConfigureAwait(false);
            return TokenSecretMetadata.Result(secret.Namespace(), name, request.Kind, TokenSecretMetadata.Fingerprint(secret) ?? "", DaprTokenSecretAction.Removed, null);
        }), cancellationToken);
        await foreach (var attempt in attempts.ConfigureAwait(false))
        {
            progress.Advance(attempt.Item.Namespace());
            if (attempt.Error is not null)
            {
                host.WriteError(attempt.Error);
                continue;
            }

            yield return attempt.Result!;
        }

        progress.Complete();
    }

    /// <summary>The namespaces the patterns select (one list call); an error for each pattern that selects none.</summary>
    private static async Task<IReadOnlyList<string>> SelectAsync(ClusterConnection cluster, IReadOnlyList<string> patterns, IEngineHost host, CancellationToken cancellationToken)
        => (await new NamespaceSelector(cluster).SelectAsync(patterns, host, cancellationToken).ConfigureAwait(false)).Select(ns => ns.Name()).ToList();

    private static DaprTokenSecretInfo Describe(string ns, string name, V1Secret? secret, IReadOnlyList<Workload> consumers, DaprTokenKind[] kinds)
    {
        var token = secret is null ? null : TokenSecretMetadata.Token(secret);
        var status = (secret, token) switch
        {
            (null, _) => DaprTokenSecretStatus.Dangling,
            (_, null) => DaprTokenSecretStatus.MissingKey,
            _ when TokenSecretMetadata.Problem(token) is not null => DaprTokenSecretStatus.Malformed,
            _ => consumers.Count > 0 ? DaprTokenSecretStatus.InUse : DaprTokenSecretStatus.Unused,
        };
        return new DaprTokenSecretInfo
        {
            Namespace = ns,
            SecretName = name,
            Status = status,
            Fingerprint = token is null ? null : TokenFingerprint.Of(token),
            UpdatedAt = secret is null ? null : TokenSecretMetadata.UpdatedAt(secret),
            Consumers = consumers.Select(w => $"{w.Kind}/{w.Name}").ToArray(),
            Kinds = kinds,
            ManagedByDaprSecurity = secret is not null && TokenSecretMetadata.IsManaged(secret),
        };
    }

    private static string Summary(IReadOnlyList<string> names)
        => names.Count <= NamesInSummary ? string.Join(", ", names) : $"{string.Join(", ", names.Take(NamesInSummary))} and {names.Count - NamesInSummary} more";
}
