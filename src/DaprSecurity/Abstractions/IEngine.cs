namespace DaprSecurity.Abstractions;

/// <summary>
/// The engine's one entry point. The module creates the engine's implementation, the type named <see cref="TypeName"/>,
/// once when the engine loads (see <c>Bootstrap/EngineServices.cs</c>), and asks it for the services of every command
/// invocation. Disposing it (Remove-Module) closes the session's cluster clients.
/// </summary>
public interface IEngine : IDisposable
{
    /// <summary>The full name of the one type in DaprSecurity.Engine that implements this interface.</summary>
    const string TypeName = "DaprSecurity.Engine.EngineRoot";

    /// <summary>The services of one command invocation: state a service keeps for an invocation ends with it; cluster clients are the session's.</summary>
    IEngineServices ForInvocation();
}
