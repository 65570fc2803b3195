namespace DaprSecurity.Abstractions;

/// <summary>The engine's services for one command invocation (see <see cref="IEngine.ForInvocation"/>), one implementation of each contract.</summary>
public interface IEngineServices
{
    IClusterConnector Clusters { get; }

    ITokenService Tokens { get; }

    ITokenSecretService TokenSecrets { get; }

    IWorkloadService Workloads { get; }

    IMtlsService Mtls { get; }

    IComponentScopeService ComponentScopes { get; }

    IAccessMatrixService AccessMatrix { get; }

    ISecurityAuditService Audit { get; }
}
