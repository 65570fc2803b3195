using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>Where each kind of token lives (dapr/dapr pkg/security/consts and pkg/injector/patcher/sidecar_container.go).</summary>
public static class TokenKinds
{
    /// <summary>The Secret key the injector reads; hard-coded in Dapr for both kinds.</summary>
    public const string SecretKey = "token";

    /// <summary>The HTTP header (and gRPC metadata key) that carries either token, in both directions.</summary>
    public const string Header = "dapr-api-token";

    public static string EnvironmentVariable(DaprTokenKind kind) => kind == DaprTokenKind.Api ? "DAPR_API_TOKEN" : "APP_API_TOKEN";

    public static string DefaultSecretName(DaprTokenKind kind) => kind == DaprTokenKind.Api ? "dapr-api-token" : "app-api-token";
}
