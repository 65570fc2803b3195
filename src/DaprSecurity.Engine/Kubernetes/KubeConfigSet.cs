using System.Security.Cryptography;
using System.Text.Json;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using k8s.KubeConfigModels;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// The merged view of one or more kubeconfig files (first definition of a name wins; the current context comes
/// from the first file that sets one), remembering which file defined each context. The files are never written.
/// </summary>
internal sealed class KubeConfigSet
{
    private readonly Dictionary<string, string> _contextSources;

    private KubeConfigSet(K8SConfiguration merged, Dictionary<string, string> contextSources)
    {
        Merged = merged;
        _contextSources = contextSources;
    }

    public K8SConfiguration Merged { get; }

    public static KubeConfigSet Load(IReadOnlyList<FileInfo> files)
    {
        K8SConfiguration? merged = null;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var config = LoadOne(file);
            foreach (var context in config.Contexts ?? Enumerable.Empty<Context>())
            {
                sources.TryAdd(context.Name, file.FullName);
            }

            merged = merged is null ? config : Merge(merged, config);
        }

        return new KubeConfigSet(merged ?? new K8SConfiguration(), sources);
    }

    public IReadOnlyList<DaprContextInfo> Contexts()
    {
        var clusters = (Merged.Clusters ?? Enumerable.Empty<Cluster>()).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
        var users = (Merged.Users ?? Enumerable.Empty<User>()).GroupBy(u => u.Name).ToDictionary(g => g.Key, g => g.First());
        return (Merged.Contexts ?? Enumerable.Empty<Context>())
            .Select(c => new DaprContextInfo
            {
                Name = c.Name,
                IsCurrent = c.Name == Merged.CurrentContext,
                Cluster = c.ContextDetails?.Cluster ?? "",
                Server = c.ContextDetails?.Cluster is { } cluster && clusters.TryGetValue(cluster, out var cl) ? cl.ClusterEndpoint?.Server ?? "" : "",
                DefaultNamespace = string.IsNullOrEmpty(c.ContextDetails?.Namespace) ? "default" : c.ContextDetails!.Namespace,
                User = c.ContextDetails?.User ?? "",
                AuthKind = c.ContextDetails?.User is { } user && users.TryGetValue(user, out var u) ? AuthKindOf(u.UserCredentials) : DaprAuthKind.None,
                KubeConfig = _contextSources.GetValueOrDefault(c.Name, ""),
            })
            .ToList();
    }

    /// <summary>
    /// A hash of what defines a connection to <paramref name="contextName"/>: the context, its cluster and its user as
    /// the files declare them now. Equal hashes mean an existing client for the context can be kept.
    /// </summary>
    public string Fingerprint(string? contextName)
    {
        var context = Merged.Contexts?.FirstOrDefault(c => c.Name == contextName);
        var cluster = Merged.Clusters?.FirstOrDefault(c => c.Name == context?.ContextDetails?.Cluster);
        var user = Merged.Users?.FirstOrDefault(u => u.Name == context?.ContextDetails?.User);
        return Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new object?[] { context, cluster, user })));
    }

    /// <summary>kubectl's rule: the first file to define a name (or a current-context) wins.</summary>
    private static K8SConfiguration Merge(K8SConfiguration first, K8SConfiguration next)
    {
        static List<T> Union<T>(IEnumerable<T>? a, IEnumerable<T>? b, Func<T, string> name)
            => (a ?? Enumerable.Empty<T>()).Concat(b ?? Enumerable.Empty<T>()).GroupBy(name).Select(g => g.First()).ToList();

        first.Clusters = Union(first.Clusters, next.Clusters, c => c.Name);
        first.Users = Union(first.Users, next.Users, u => u.Name);
        first.Contexts = Union(first.Contexts, next.Contexts, c => c.Name);
        first.CurrentContext = string.IsNullOrEmpty(first.CurrentContext) ? next.CurrentContext : first.CurrentContext;
        return first;
    }

    private static K8SConfiguration LoadOne(FileInfo file)
    {
        K8SConfiguration? config;
        try
        {
            config = KubeConfigYaml.Read(file);
        }
        catch (Exception e) when (e is not DaprSecurityException)
        {
            throw DaprErrors.KubeConfigInvalid.Raise($"The kubeconfig file '{file.FullName}' cannot be read: {e.Message}", file.FullName, e);
        }

        if (config is null)
        {
            throw DaprErrors.KubeConfigInvalid.Raise($"The kubeconfig file '{file.FullName}' is empty.", file.FullName);
        }

        AnchorRelativePaths(config, file.DirectoryName!);
        return config;
    }

    /// <summary>kubectl resolves relative certificate paths against the file that names them; merging would lose that.</summary>
    private static void AnchorRelativePaths(K8SConfiguration config, string directory)
    {
        string? Anchor(string? path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

        foreach (var cluster in config.Clusters ?? Enumerable.Empty<Cluster>())
        {
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Anchor(endpoint.CertificateAuthority);
            }
        }

        foreach (var user in config.Users ?? Enumerable.Empty<User>())
        {
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Anchor(credentials.ClientCertificate);
                credentials.ClientKey = Anchor(credentials.ClientKey);
            }
        }
    }

    private static DaprAuthKind AuthKindOf(UserCredentials? credentials) => credentials switch
    {
        null => DaprAuthKind.None,
        { ExternalExecution: not null } => DaprAuthKind.Exec,
        { AuthProvider: not null } => DaprAuthKind.AuthProvider,
        { ClientCertificateData: not null } or { ClientCertificate: not null } => DaprAuthKind.ClientCertificate,
        { Token: not null } => DaprAuthKind.Token,
        { UserName: not null } => DaprAuthKind.Basic,
        _ => DaprAuthKind.None,
    };
}
