using System.Reflection;
using System.Runtime.Loader;

namespace DaprSecurity.Bootstrap;

/// <summary>
/// A private load context over the module's Dependencies/ folder. Anything found there (the engine,
/// KubernetesClient, YamlDotNet, Microsoft.IdentityModel, ...) loads here, whatever versions other modules have
/// put in the default context. Anything else, including DaprSecurity.dll with the contracts both sides share,
/// falls through to the default context, so contract types keep one identity.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public EngineLoadContext(string directory)
        : base("DaprSecurity.Engine")
    {
        _directory = directory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
