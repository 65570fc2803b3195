using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Engine.Workloads;

namespace DaprSecurity.Engine;

/// <summary>
/// The engine's composition root (<see cref="IEngine.TypeName"/>): every service is built here, by name, once per
/// session; services that keep state for one command invocation are built per invocation (<see cref="EngineInvocation"/>).
/// </summary>
public sealed class EngineRoot : IEngine
{
    private readonly ClusterConnector _clusters = new(TimeProvider.System);
    private readonly TokenService _tokens = new();
    private readonly TokenSecretService _tokenSecrets = new();
    private readonly WorkloadService _workloads = new();
    private readonly MtlsService _mtls = new();
    private readonly AccessMatrixService _accessMatrix = new();
    private readonly SecurityAuditService _audit = new();

    /// <inheritdoc />
    public IEngineServices ForInvocation() => new EngineInvocation(_clusters, _tokens, _tokenSecrets, _workloads, _mtls, new ComponentScopeService(), _accessMatrix, _audit);

    /// <summary>Closes every cluster client of the session.</summary>
    public void Dispose() => _clusters.Dispose();
}
