using System.Management.Automation;

namespace DaprSecurity.Bootstrap;

/// <summary>Remove-Module DaprSecurity closes the engine's cluster clients instead of leaving them to the process.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => EngineServices.Shutdown();
}
