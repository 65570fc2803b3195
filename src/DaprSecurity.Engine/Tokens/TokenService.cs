using System.Security;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.DevOps;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>The engine's <see cref="ITokenService"/>.</summary>
public sealed class TokenService : ITokenService
{
    public DaprToken New(NewTokenRequest request, IEngineHost host)
    {
        if (request.AzurePipelinesVariable is not null && !AzurePipelines.IsActive)
        {
            throw DaprErrors.AzurePipelinesNotDetected.Raise("-AdoVariable publishes the token as an Azure Pipelines secret variable, which works only inside a pipeline job (TF_BUILD=True); no token was created.",
                request.AzurePipelinesVariable,
                recommendedAction: "Run the command in an Azure Pipelines script step, or omit -AdoVariable and keep the token in a variable.");
        }

        var token = TokenGenerator.Generate(request, TokenSecretMetadata.Now(host.Clock));
        host.WriteVerbose($"Created {token.Format} {token.Kind} token {token.Fingerprint}.");
        if (request.AzurePipelinesVariable is { } variable)
        {
            var secretVariable = new Dictionary<string, string> { ["variable"] = variable, ["issecret"] = "true" };
            host.WriteHostLine(AzurePipelines.Command("task.setvariable", secretVariable, SecretText.ToPlainText(token.Token)));
            host.WriteVerbose($"Published token {token.Fingerprint} as the secret pipeline variable {variable}.");
        }

        return token;
    }

    public DaprToken Describe(SecureString token, DaprTokenKind kind) => TokenInspector.Describe(token, kind);

    public DaprTokenEnvironmentResult? SetEnvironment(DaprToken token, DaprTokenKind kind, string? dotEnvPath, IEngineHost host)
    {
        TokenRules.EnsureWellFormed(token);
        var action = $"Set {TokenKinds.EnvironmentVariable(kind)} to token {token.Fingerprint}";
        if (!host.ShouldProcess(dotEnvPath ?? "current process environment", action))
        {
            return null;
        }

        return dotEnvPath is null ? TokenEnvironment.SetProcess(token, kind) : TokenEnvironment.WriteDotEnv(token, kind, dotEnvPath);
    }

    public DaprTokenEnforcementResult TestEnforcement(TokenEnforcementRequest request, IEngineHost host) => TokenEnforcementProbe.Run(request, host);
}
