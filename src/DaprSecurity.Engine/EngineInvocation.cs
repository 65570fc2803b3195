using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine;

/// <summary>The services of one command invocation, handed out by <see cref="EngineRoot.ForInvocation"/>.</summary>
internal sealed record EngineInvocation(
    IClusterConnector Clusters,
    ITokenService Tokens,
    ITokenSecretService TokenSecrets,
    IWorkloadService Workloads,
    IMtlsService Mtls,
    IComponentScopeService ComponentScopes,
    IAccessMatrixService AccessMatrix,
    ISecurityAuditService Audit) : IEngineServices;
