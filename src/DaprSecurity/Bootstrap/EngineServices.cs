using System.Reflection;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Bootstrap;

/// <summary>
/// The module's way into the engine. The engine assembly loads on first use (so importing the module, Get-Help and tab
/// completion of static values load no dependency) into its private load context, once per process; its entry point,
/// the type <see cref="IEngine.TypeName"/>, is created once per import and hands out the services of each invocation.
/// </summary>
internal static class EngineServices
{
    private const string EngineAssemblyName = "DaprSecurity.Engine";

    private static readonly Lazy<Assembly> s_assembly = new(LoadAssembly);
    private static readonly object s_gate = new();
    private static IEngine? s_engine;

    /// <summary>Each contract a cmdlet may ask for and where the invocation's services hold it: listed, never searched for.</summary>
    private static readonly Dictionary<Type, Func<IEngineServices, object>> s_contracts = new()
    {
        [typeof(IClusterConnector)] = s => s.Clusters,
        [typeof(ITokenService)] = s => s.Tokens,
        [typeof(ITokenSecretService)] = s => s.TokenSecrets,
        [typeof(IWorkloadService)] = s => s.Workloads,
        [typeof(IMtlsService)] = s => s.Mtls,
        [typeof(IComponentScopeService)] = s => s.ComponentScopes,
        [typeof(IAccessMatrixService)] = s => s.AccessMatrix,
        [typeof(ISecurityAuditService)] = s => s.Audit,
    };

    /// <summary>The services of one command invocation (a cmdlet asks once, on first use).</summary>
    public static IEngineServices ForInvocation()
    {
        lock (s_gate)
        {
            return (s_engine ??= CreateEngine()).ForInvocation();
        }
    }

    /// <summary><typeparamref name="TContract"/> from <paramref name="services"/>.</summary>
    public static TContract Get<TContract>(IEngineServices services)
        where TContract : class
        => s_contracts.TryGetValue(typeof(TContract), out var get)
            ? (TContract)get(services)
            : throw new InvalidOperationException($"{typeof(TContract).FullName} is not an engine contract.");

    /// <summary><typeparamref name="TContract"/> for a call of its own, outside a cmdlet invocation (completers, argument transformations).</summary>
    public static TContract Get<TContract>()
        where TContract : class
        => Get<TContract>(ForInvocation());

    /// <summary>
    /// Disposes the engine (and so its cluster clients) and forgets it, so an import after Remove-Module starts afresh.
    /// Loads nothing when the engine was never used.
    /// </summary>
    public static void Shutdown()
    {
        IEngine? engine;
        lock (s_gate)
        {
            (engine, s_engine) = (s_engine, null);
        }

        engine?.Dispose();
    }

    private static IEngine CreateEngine()
    {
        var type = s_assembly.Value.GetType(IEngine.TypeName, throwOnError: false)
            ?? throw new InvalidOperationException($"{EngineAssemblyName} has no entry point {IEngine.TypeName}. Rebuild or reinstall the module.");
        return (IEngine)Activator.CreateInstance(type)!;
    }

    private static Assembly LoadAssembly()
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(EngineServices).Assembly.Location)!;
        var dependencies = Path.Combine(moduleDirectory, "Dependencies");
        var enginePath = Path.Combine(dependencies, EngineAssemblyName + ".dll");
        if (!File.Exists(enginePath))
        {
            throw new FileNotFoundException($"The DaprSecurity module is incomplete: {enginePath} is missing. Rebuild or reinstall the module.", enginePath);
        }

        return new EngineLoadContext(dependencies).LoadFromAssemblyPath(enginePath);
    }
}
