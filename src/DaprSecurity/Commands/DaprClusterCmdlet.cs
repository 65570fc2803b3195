using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Completers;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of every cmdlet that talks to a cluster: the shared -Context and -KubeConfig parameters. Both also bind by
/// property name, so an object piped from another cluster cmdlet (or Get-DaprContext) is acted on in the cluster it
/// came from; an explicit -Context or -KubeConfig that names another cluster is an error for that object. -Context
/// takes several names and wildcards: the command then runs in each of those clusters.
/// </summary>
public abstract class DaprClusterCmdlet : DaprCmdlet, IDynamicParameters
{
    private readonly HashSet<int> _warnedConnections = new();
    private readonly ParallelReadParameters? _parallelReads;
    private readonly RolloutWaveParameters? _waves;

    private readonly Dictionary<(string? KubeConfig, string? Context), TargetCluster> _connections = new();
    private string[]? _commandLineContexts;
    private string? _commandLineKubeConfig;
    private string[]? _commandLineNamespaces;
    private IReadOnlyList<TargetCluster>? _commandLineClusters;
    private readonly PipelineBatches<TargetCluster, TargetCluster> _collected = new();
    private bool _clusterPerObject;

    /// <summary>The kubeconfig contexts to use: names or wildcards (-Context prod-*); the command runs in each. Defaults to the context of a piped object, else the kubeconfig's current context. Also taken from the Context property of piped objects (every cluster cmdlet's output, Get-DaprContext's). Tab completion lists the contexts of the selected kubeconfig.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KubeContextCompleter))]
    [SupportsWildcards]
    [DaprInput(DaprInputKind.Pattern)]
    public string[]? Context { get; set; }

    /// <summary>Path of a kubeconfig file. Defaults to the kubeconfig a piped object was read with, else the files in KUBECONFIG, then ~/.kube/config, then the pod's service account when running in a cluster. The file is only read, never rewritten.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? KubeConfig { get; set; }

    /// <summary>Gives readers (<see cref="ReadsClustersInParallelAttribute"/>) their -ThrottleLimit, and the commands that restart in waves (<see cref="RestartsInWavesAttribute"/>) -Canary, -Wave and -ThrottleLimit.</summary>
    private protected DaprClusterCmdlet()
    {
        _parallelReads = GetType().IsDefined(typeof(ReadsClustersInParallelAttribute), inherit: true) ? new ParallelReadParameters() : null;
        _waves = GetType().IsDefined(typeof(RestartsInWavesAttribute), inherit: true) ? new RolloutWaveParameters() : null;
    }

    /// <summary>-Canary, -Wave and -ThrottleLimit of a command that restarts in waves.</summary>
    private protected RolloutWaveParameters Waves => _waves ?? throw new InvalidOperationException($"{GetType().Name} is not marked [RestartsInWaves].");

    /// <summary>The namespace of an object piped from a cluster cmdlet (bound by name from its hidden PipedNamespace property, in every parameter set), so an object whose namespace -Namespace does not select is reported, not silently replaced by -Namespace. Not for use on the command line.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? PipedNamespace { get; set; }

    /// <summary>A kubectl namespace piped by value (a Namespace item, or 'namespace/shop'), in every parameter set: with -Namespace given on the command line it has no other parameter to bind to, and is then checked and read as a piped namespace object is (PipedNamespace). Not for use on the command line.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    [PipedNamespaceTransformation]
    public PipedNamespaceReference? PipedNamespaceItem { get; set; }

    /// <summary>How many clusters a reading command reads at the same time: its -ThrottleLimit.</summary>
    private int ParallelContexts => _parallelReads?.ThrottleLimit ?? 1;

    /// <inheritdoc />
    /// <remarks>Null (none) for a cmdlet that neither reads clusters in parallel nor restarts in waves.</remarks>
    object IDynamicParameters.GetDynamicParameters() => (object?)_parallelReads ?? _waves!;

    /// <summary>The one cluster of a cmdlet that works in a single cluster: the one the command line (or the current context) names.</summary>
    private protected IClusterConnection Cluster
    {
        get
        {
            var clusters = _commandLineClusters ??= Resolve(_commandLineKubeConfig, _commandLineContexts);
            return clusters.Count == 1
                ? clusters[0].Connection
                : throw DaprErrors.KubeContextSingleOnly.Raise($"{MyInvocation.MyCommand.Name} works in one cluster at a time; -Context names {clusters.Count}.", Context);
        }
    }

    /// <summary>
    /// Remembers what the command line names and resolves it now when nothing is piped in (so a bad kubeconfig stops the
    /// command at once). Derived cmdlets that override this must call it first, unless they can also work without a cluster.
    /// </summary>
    private protected override void Begin()
    {
        RememberCommandLine();
        if (!MyInvocation.ExpectingInput || _commandLineContexts is not null)
        {
            _commandLineClusters = Resolve(_commandLineKubeConfig, _commandLineContexts);
        }
    }

    /// <summary>The parameter that names the namespaces to work in: -Namespace, or -Name for Get-DaprNamespace.</summary>
    private protected virtual string NamespaceParameter => "Namespace";

    /// <summary>
    /// For a reader: the namespaces to read for the current pipeline object. A piped object that names its own namespace
    /// (PipedNamespace) is read there, even when -Namespace on the command line names more (it has passed the
    /// NamespaceConflict check of <see cref="Clusters"/>); otherwise <paramref name="namespaces"/>, as bound.
    /// </summary>
    private protected string[] OwnNamespaceOr(string[] namespaces)
        => _commandLineNamespaces is not null && !string.IsNullOrEmpty(PipedObjectNamespace) ? new[] { PipedObjectNamespace } : namespaces;

    /// <summary>The namespace the current pipeline object names as its own: a cluster object's, or a piped kubectl namespace's.</summary>
    private string? PipedObjectNamespace => PipedNamespace ?? PipedNamespaceItem?.Name;

    /// <summary>
    /// For a reader given objects of its own kind (-InputObject): those that -Namespace and -Name, given on the command
    /// line, select. Each other one is an error (NamespaceConflict, NameConflict) and is not read, as a writer reports
    /// a piped object the command line contradicts: the command line checks piped objects, it never silently drops or
    /// widens them (filter with Where-Object first to leave some out).
    /// </summary>
    private protected IEnumerable<T> SelectedByCommandLine<T>(IEnumerable<T> piped, Func<T, (string Namespace, string Name)> identity, string[]? names)
        where T : DaprClusterObject
    {
        foreach (var item in piped)
        {
            var (ns, name) = identity(item);
            if (NamespaceConflict(ns, item) is { } conflict)
            {
                WriteError(conflict);
            }
            else if (names is not null && !names.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(name)))
            {
                WriteError(DaprErrors.NameConflict.Raise(
                    $"'{item}' is named '{name}', but -Name names {string.Join(", ", names.Select(n => $"'{n}'"))}; it is not read.",
                    item,
                    recommendedAction: "Leave out -Name to read each piped object, or filter the objects first (Where-Object Name -like ...)."));
            }
            else
            {
                yield return item;
            }
        }
    }

    /// <summary>Records -Context and -KubeConfig as given on the command line, before pipeline objects bind theirs.</summary>
    private protected void RememberCommandLine()
    {
        // Null or empty (a piped object read from a file has no context) means not given.
        _commandLineContexts = Given(Context);
        _commandLineKubeConfig = string.IsNullOrEmpty(KubeConfig) ? null : KubeConfig;
        _commandLineNamespaces = MyInvocation.BoundParameters.GetValueOrDefault(NamespaceParameter) switch
        {
            string[] several => several,
            string one => new[] { one },
            _ => null,
        };
    }

    /// <summary>
    /// The clusters the current pipeline object belongs to (or the command line names, or the current context). A piped
    /// object (<paramref name="piped"/>, when the cmdlet bound it whole) whose Context or KubeConfig conflicts with the
    /// command line's gets an error and no cluster. Other piped objects bring their cluster through -Context and
    /// -KubeConfig bound by property name.
    /// </summary>
    private protected IReadOnlyList<TargetCluster> Clusters(DaprClusterObject? piped = null)
    {
        if (NamespaceConflict(PipedObjectNamespace) is { } conflict)
        {
            WriteError(conflict);
            return Array.Empty<TargetCluster>();
        }

        var objectContext = piped?.Context ?? (_commandLineContexts is null && Given(Context) is [var boundContext] ? boundContext : null);
        var objectKubeConfig = piped?.KubeConfig ?? (_commandLineKubeConfig is null && !string.IsNullOrEmpty(KubeConfig) ? KubeConfig : null);
        if (objectContext is not null && _commandLineContexts is { } named
            && !named.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(objectContext)))
        {
            WriteError(DaprErrors.KubeContextConflict.Raise(
                $"'{piped}' is from context '{objectContext}', but -Context names {string.Join(", ", named.Select(n => $"'{n}'"))}; it is not acted on.",
                piped,
                recommendedAction: "Leave out -Context to act on each object in the cluster it came from."));
            return Array.Empty<TargetCluster>();
        }

        if (piped?.KubeConfig is not null && _commandLineKubeConfig is { } given && FullPath(piped.KubeConfig) != FullPath(given))
        {
            WriteError(DaprErrors.KubeContextConflict.Raise(
                $"'{piped}' was read with kubeconfig '{piped.KubeConfig}', but -KubeConfig is '{given}'; it is not acted on.",
                piped,
                recommendedAction: "Leave out -KubeConfig to act on each object in the cluster it came from."));
            return Array.Empty<TargetCluster>();
        }

        var kubeConfig = _commandLineKubeConfig ?? objectKubeConfig;
        if (objectContext is not null)
        {
            // Objects bring their own cluster: a later one may come from another, so targets and errors name it from the first.
            _clusterPerObject |= _commandLineContexts is not [var only] || WildcardPattern.ContainsWildcardCharacters(only);
            return Resolve(kubeConfig, new[] { objectContext });
        }

        if (kubeConfig == _commandLineKubeConfig)
        {
            return _commandLineClusters ??= Resolve(_commandLineKubeConfig, _commandLineContexts);
        }

        return Resolve(kubeConfig, _commandLineContexts);
    }

    /// <summary>Collects the clusters of the current pipeline object (each once), for <see cref="ReadCollectedClusters"/> at the end.</summary>
    private protected void CollectClusters()
    {
        foreach (var cluster in Clusters())
        {
            _collected.Add(cluster, Array.Empty<TargetCluster>()); // the cluster is the whole batch
        }
    }

    /// <summary>Reads every collected cluster, in parallel, writing each result once as it arrives.</summary>
    private protected void ReadCollectedClusters<TResult>(Func<TargetCluster, IEnumerable<TResult>> read)
        => RunInClusters(_collected.All, b => b.Key, b => read(b.Key), inParallel: true);

    /// <summary>
    /// Runs <paramref name="work"/> in each cluster and writes its results as they arrive, each marked with its cluster.
    /// With several clusters, a failure in one (unreachable, TLS refused, forbidden) is an error for that context and the
    /// others finish; readers run in parallel, writers (<paramref name="inParallel"/> false) one cluster after the other.
    /// WhatIf and Confirm targets and errors start with [context] whenever the command may work in several clusters:
    /// -Context names several, or piped objects bring their own (see <see cref="Clusters"/>).
    /// </summary>
    private protected void RunInClusters<TCluster, TResult>(IReadOnlyList<TCluster> clusters, Func<TCluster, TargetCluster> clusterOf, Func<TCluster, IEnumerable<TResult>> work, bool inParallel)
        => RunInClusters(clusters, clusterOf, item => Streams.Of(work(item)), inParallel);

    /// <inheritdoc cref="RunInClusters{TCluster, TResult}(IReadOnlyList{TCluster}, Func{TCluster, TargetCluster}, Func{TCluster, IEnumerable{TResult}}, bool)"/>
    private protected void RunInClusters<TCluster, TResult>(IReadOnlyList<TCluster> clusters, Func<TCluster, TargetCluster> clusterOf, Func<TCluster, IAsyncEnumerable<TResult>> work, bool inParallel)
    {
        var several = clusters.Select(clusterOf).Distinct().Count() > 1;
        if (!several || !inParallel)
        {
            var named = several || _clusterPerObject;
            try
            {
                foreach (var item in clusters)
                {
                    var cluster = clusterOf(item);
                    HostAdapter.ClusterInWork = named ? cluster.Context : null;
                    try
                    {
                        var results = work(item); // on the pipeline thread, as a writer's ShouldProcess prefers
                        HostAdapter.Run(() => WriteStamped(cluster, results));
                    }
                    catch (DaprSecurityException error) when (clusters.Count > 1)
                    {
                        WriteError(cluster.Named(error));
                    }
                    catch (DaprSecurityException error) when (named)
                    {
                        throw cluster.Named(error);
                    }
                }
            }
            finally
            {
                HostAdapter.ClusterInWork = null;
            }

            return;
        }

        // All clusters under one host run: the pipeline thread writes what each posts as it arrives.
        HostAdapter.Run(async () =>
        {
            using var slots = new SemaphoreSlim(ParallelContexts);
            var token = EngineHost.CancellationToken;
            await Task.WhenAll(clusters.Select(async item =>
            {
                var cluster = clusterOf(item);
                await slots.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    await Task.Run(() => WriteStamped(cluster, work(item)), token).ConfigureAwait(false);
                }
                catch (DaprSecurityException error)
                {
                    EngineHost.WriteError(cluster.Named(error));
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// For a writer that follows its change to the end (-Wait, -Restart): like RunInClusters with inParallel false, one cluster after
    /// the other, but the first cluster whose work went wrong (it raised an error, or <paramref name="wentWrong"/> says so
    /// once its results are written) stops the command there, so a bad change reaches one cluster only. Each later cluster is
    /// not touched: <paramref name="skip"/> (given the cluster and the one that went wrong) reports what it would have done.
    /// </summary>
    private protected ClusterStop RunInClustersUntilOneGoesWrong<TResult>(IReadOnlyList<TargetCluster> clusters, Func<TargetCluster, IAsyncEnumerable<TResult>> work, Func<TargetCluster, bool> wentWrong, Func<TargetCluster, TargetCluster, IEnumerable<TResult>> skip)
    {
        TargetCluster? stoppedIn = null;
        var notStarted = new List<TargetCluster>();
        RunInClusters(clusters, c => c, c =>
        {
            if (stoppedIn is not null)
            {
                notStarted.Add(c);
                return Streams.Of(skip(c, stoppedIn));
            }

            try
            {
                return Watched(work(c), () => stoppedIn = c, () => stoppedIn ??= wentWrong(c) ? c : null);
            }
            catch (DaprSecurityException)
            {
                stoppedIn = c;
                throw;
            }
        }, inParallel: false);
        return new ClusterStop(stoppedIn, notStarted);
    }

    /// <summary><paramref name="results"/>, calling <paramref name="failed"/> when it raises an error and <paramref name="ended"/> when it ends.</summary>
    private static async IAsyncEnumerable<TResult> Watched<TResult>(IAsyncEnumerable<TResult> results, Action failed, Action ended)
    {
        await using var items = results.GetAsyncEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync().ConfigureAwait(false);
            }
            catch (DaprSecurityException)
            {
                failed();
                throw;
            }

            if (!more)
            {
                break;
            }

            yield return items.Current;
        }

        ended();
    }

    private async Task<bool> WriteStamped<TResult>(TargetCluster cluster, IAsyncEnumerable<TResult> results)
    {
        await foreach (var result in results.ConfigureAwait(false))
        {
            HostAdapter.WriteObject(cluster.Stamp(result));
        }

        return true;
    }

    /// <summary>The connection to <paramref name="context"/> (null: the current context) of the kubeconfig <paramref name="kubeConfig"/> (null: the default).</summary>
    private TargetCluster Connect(string? kubeConfig, string? context)
    {
        if (!_connections.TryGetValue((kubeConfig, context), out var target))
        {
            var path = ResolveKubeConfigPath(kubeConfig);
            var cluster = Engine<IClusterConnector>().Connect(new ClusterTarget(path, context));
            EngineHost.WriteVerbose($"Using context '{cluster.ContextName}' at {cluster.Server} (connection #{cluster.Id}).");
            if (cluster.UnverifiedServerWarning is { } warning && _warnedConnections.Add(cluster.Id))
            {
                EngineHost.WriteWarning(warning);
            }

            target = new TargetCluster(cluster, path);
            _connections[(kubeConfig, context)] = target;
        }

        return target;
    }

    /// <summary>
    /// The clusters <paramref name="contexts"/> name (null: the current context). A wildcard is matched against the
    /// kubeconfig's contexts; one that matches nothing, or a name that is not there, is an error for that name only.
    /// </summary>
    private IReadOnlyList<TargetCluster> Resolve(string? kubeConfig, IReadOnlyList<string>? contexts)
    {
        if (contexts is null)
        {
            return new[] { Connect(kubeConfig, null) };
        }

        var known = contexts.Any(WildcardPattern.ContainsWildcardCharacters)
            ? Engine<IClusterConnector>().GetContexts(ResolveKubeConfigPath(kubeConfig)).Select(c => c.Name).ToList()
            : null;
        var names = new List<string>();
        foreach (var pattern in contexts)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                names.Add(pattern);
                continue;
            }

            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            var matches = known!.Where(wildcard.IsMatch).ToList();
            if (matches.Count == 0)
            {
                WriteError(DaprErrors.KubeContextNotMatched.Raise($"No context of the kubeconfig matches '{pattern}'.", pattern, recommendedAction: "Run Get-DaprContext to see the available contexts."));
            }

            names.AddRange(matches);
        }

        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var clusters = new List<TargetCluster>();
        foreach (var name in distinct)
        {
            try
            {
                clusters.Add(Connect(kubeConfig, name));
            }
            catch (DaprSecurityException error) when (distinct.Count > 1)
            {
                WriteError(error);
            }
        }

        return clusters;
    }

    /// <summary>
    /// The error for a piped object in a namespace that -Namespace, given on the command line, does not select: the
    /// command line's namespaces would otherwise silently replace the object's.
    /// </summary>
    private DaprSecurityException? NamespaceConflict(string? objectNamespace, object? piped = null)
    {
        if (string.IsNullOrEmpty(objectNamespace) || _commandLineNamespaces is not { } named
            || named.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(objectNamespace)))
        {
            return null;
        }

        var what = piped is null ? "A piped object" : $"'{piped}'";
        return DaprErrors.NamespaceConflict.Raise(
            $"{what} is in namespace '{objectNamespace}', but -{NamespaceParameter} names {string.Join(", ", named.Select(n => $"'{n}'"))}; it is not acted on.",
            objectNamespace,
            recommendedAction: $"Leave out -{NamespaceParameter} to act on each piped object where it is, or filter the objects first (Where-Object Namespace -like ...).");
    }

    /// <summary>Resolves a user-supplied path against PowerShell's current location, not the process directory.</summary>
    private protected string? ResolveKubeConfigPath(string? path)
        => path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static string[]? Given(string[]? contexts) => contexts?.Where(c => !string.IsNullOrEmpty(c)).ToArray() is { Length: > 0 } given ? given : null;

    private string? FullPath(string path) => ResolveKubeConfigPath(path);
}
