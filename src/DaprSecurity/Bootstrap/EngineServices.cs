using System.Collections.Concurrent;
using System.Reflection;

namespace DaprSecurity.Bootstrap;

/// <summary>
/// Finds the engine's implementation of a contract (an interface declared in this assembly). The engine is
/// loaded on first use, so importing the module, Get-Help and tab completion of static values load no dependency.
/// </summary>
internal static class EngineServices
{
    private const string EngineAssemblyName = "DaprSecurity.Engine";

    private static readonly Lazy<Assembly> s_engine = new(LoadEngine);
    private static readonly ConcurrentDictionary<Type, object> s_services = new();

    /// <summary>The engine's single (thread-safe) implementation of <typeparamref name="TContract"/>.</summary>
    public static TContract Get<TContract>()
        where TContract : class
        => (TContract)s_services.GetOrAdd(typeof(TContract), Create);

    /// <summary>
    /// Disposes the services the engine created (and so their cluster clients) and forgets them, so an import after
    /// Remove-Module starts afresh. Loads nothing when the engine was never used.
    /// </summary>
    public static void Shutdown()
    {
        foreach (var contract in s_services.Keys.ToArray())
        {
            if (s_services.TryRemove(contract, out var service) && service is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static object Create(Type contract)
    {
        var implementation = s_engine.Value.GetExportedTypes()
            .SingleOrDefault(t => t.IsClass && !t.IsAbstract && contract.IsAssignableFrom(t))
            ?? throw new InvalidOperationException($"{EngineAssemblyName} has no implementation of {contract.FullName}.");
        return Activator.CreateInstance(implementation)!;
    }

    private static Assembly LoadEngine()
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
