namespace DaprSecurity.Output;

/// <summary>
/// Which of Dapr's two API tokens. Both travel in the same <c>dapr-api-token</c> header; they differ in direction.
/// </summary>
public enum DaprTokenKind
{
    /// <summary>APP_API_TOKEN (annotation dapr.io/app-token-secret): daprd sends it to the app; only the app can check it.</summary>
    App,

    /// <summary>DAPR_API_TOKEN (annotation dapr.io/api-token-secret): the app sends it to daprd, which rejects calls without it (401).</summary>
    Api,
}
