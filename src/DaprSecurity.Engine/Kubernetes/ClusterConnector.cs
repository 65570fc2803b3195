using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using k8s;
using System.Security.Cryptography;
using k8s.Exceptions;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Opens cluster connections the way kubectl resolves them, and keeps one client per kubeconfig files and context
/// for the whole PowerShell session: building a client costs ~0.3 s cold. When the context's definition in the
/// kubeconfig changes (another server, user or credentials) its client is replaced and the old one disposed; a
/// change elsewhere in the file (kubectl config use-context) keeps the clients. Disposing the connector (when the
/// module is removed) disposes every client.
/// </summary>
public sealed class ClusterConnector : IClusterConnector, IDisposable
{
    private const string InClusterName = "(in-cluster)";
    private readonly object _gate = new();
    private readonly Dictionary<string, LoadedKubeConfig> _kubeConfigs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CachedConnection> _connections = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <param name="clock">The clients' clock (their retry pauses): a client serves the whole session, not one command.</param>
    public ClusterConnector(TimeProvider clock) => _clock = clock;

    /// <inheritdoc />
    public IClusterConnection Connect(ClusterTarget target)
    {
        var files = KubeConfigFiles.Resolve(target.KubeConfig);
        if (files.Count == 0)
        {
            return ConnectInCluster(target.Context);
        }

        lock (_gate)
        {
            var identity = string.Join("|", files.Select(f => f.FullName));
            var set = Load(identity, files);
            var contextName = target.Context ?? set.Merged.CurrentContext;
            var key = identity + "#" + contextName;
            if (_connections.TryGetValue(key, out var cached) && SameDefinition(cached.Set, set, contextName))
            {
                _connections[key] = cached with { Set = set };
                return cached.Connection;
            }

            var connection = Build(set, target.Context);
            cached?.Connection.Dispose();
            _connections[key] = new CachedConnection(set, connection);
            return connection;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<DaprContextInfo> GetContexts(string? kubeConfig)
    {
        var files = KubeConfigFiles.Resolve(kubeConfig);
        return files.Count == 0 ? Array.Empty<DaprContextInfo>() : KubeConfigSet.Load(files).Contexts();
    }

    private ClusterConnection Build(KubeConfigSet set, string? context)
    {
        var contextName = context ?? set.Merged.CurrentContext;
        if (string.IsNullOrEmpty(contextName))
        {
            throw DaprErrors.KubeContextNotSet.Raise("The kubeconfig has no current-context; pass -Context.", null, recommendedAction: "Run Get-DaprContext to see the available contexts.");
        }

        var contextEntry = set.Merged.Contexts?.FirstOrDefault(c => c.Name == contextName);
        if (contextEntry is null)
        {
            throw DaprErrors.KubeContextNotFound.Raise($"The kubeconfig has no context named '{contextName}'.", contextName, recommendedAction: "Run Get-DaprContext to see the available contexts.");
        }

        var unverified = TransportPolicy.Check(set.Merged, contextEntry);
        try
        {
            return new ClusterConnection(contextName, KubernetesClientConfiguration.BuildConfigFromConfigObject(set.Merged, contextName), _clock, unverified);
        }
        catch (Exception e) when (e is KubeConfigException or CryptographicException or FormatException or IOException or UnauthorizedAccessException)
        {
            // A bad client-key-data or an unreadable certificate file surfaces while the client is built.
            throw DaprErrors.KubeConfigInvalid.Raise($"Context '{contextName}' cannot be used: {e.Message}", contextName, e);
        }
    }

    private ClusterConnection ConnectInCluster(string? context)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            throw DaprErrors.KubeConfigNotFound.Raise("No kubeconfig found: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod with a service account.",
                null,
                recommendedAction: "Pass -KubeConfig, set KUBECONFIG, or create ~/.kube/config.");
        }

        if (context is not null)
        {
            throw DaprErrors.KubeContextNotFound.Raise($"In-cluster configuration has no context named '{context}'.", context);
        }

        lock (_gate)
        {
            if (!_connections.TryGetValue(InClusterName, out var cached))
            {
                cached = new CachedConnection(null, new ClusterConnection(InClusterName, KubernetesClientConfiguration.InClusterConfig(), _clock));
                _connections[InClusterName] = cached;
            }

            return cached.Connection;
        }
    }

    /// <summary>Disposes every client (the module is being removed); a later Connect builds new ones.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var cached in _connections.Values)
            {
                cached.Connection.Dispose();
            }

            _connections.Clear();
            _kubeConfigs.Clear();
        }
    }

    /// <summary>The parsed kubeconfig files, parsed again only when one of them changed on disk.</summary>
    private KubeConfigSet Load(string identity, IReadOnlyList<FileInfo> files)
    {
        var stamp = string.Join("|", files.Select(f => $"{f.LastWriteTimeUtc.Ticks}:{f.Length}"));
        if (!_kubeConfigs.TryGetValue(identity, out var loaded) || loaded.Stamp != stamp)
        {
            loaded = new LoadedKubeConfig(stamp, KubeConfigSet.Load(files));
            _kubeConfigs[identity] = loaded;
        }

        return loaded.Set;
    }

    /// <summary>
    /// True when the context is defined as it was when its client was built: trivially so while the files were not parsed
    /// again, otherwise when their fingerprints agree (hashed only then, so a first command does not pay for it).
    /// </summary>
    private static bool SameDefinition(KubeConfigSet? built, KubeConfigSet current, string? contextName)
        => ReferenceEquals(built, current) || (built is not null && built.Fingerprint(contextName) == current.Fingerprint(contextName));

    private sealed record LoadedKubeConfig(string Stamp, KubeConfigSet Set);

    /// <summary>A client and the parsed kubeconfig it was built from or last found to define it alike (none in-cluster).</summary>
    private sealed record CachedConnection(KubeConfigSet? Set, ClusterConnection Connection);
}
