using System.Security;
using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>Token work that needs no cluster: generation, description, the self-hosted environment, enforcement probes.</summary>
public interface ITokenService
{
    /// <summary>Generates a token; with <see cref="NewTokenRequest.AzurePipelinesVariable"/> also publishes it (only inside Azure Pipelines).</summary>
    DaprToken New(NewTokenRequest request, IEngineHost host);

    /// <summary>Describes a token given as text (format, fingerprint, JWT claims), without judging it; operations validate it.</summary>
    DaprToken Describe(SecureString token, DaprTokenKind kind);

    /// <summary>
    /// Sets APP_API_TOKEN or DAPR_API_TOKEN for this process, or in a dotenv file (<paramref name="dotEnvPath"/>) readable
    /// only by its owner; null when the host declined (WhatIf).
    /// </summary>
    DaprTokenEnvironmentResult? SetEnvironment(DaprToken token, DaprTokenKind kind, string? dotEnvPath, IEngineHost host);

    /// <summary>Calls an endpoint without a token, with a wrong one and with the right one.</summary>
    DaprTokenEnforcementResult TestEnforcement(TokenEnforcementRequest request, IEngineHost host);
}
