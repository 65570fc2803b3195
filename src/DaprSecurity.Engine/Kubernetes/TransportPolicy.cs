using DaprSecurity.Abstractions;
using k8s.KubeConfigModels;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// What a context may ask of the transport, checked before any request: kubectl's refusal of a CA next to
/// insecure-skip-tls-verify, and, stricter than kubectl, no credential at all towards an http:// server.
/// </summary>
internal static class TransportPolicy
{
    /// <summary>
    /// Throws when the context's cluster and user cannot be used safely; otherwise returns a sentence naming the
    /// cluster when its server is not verified (insecure-skip-tls-verify, or plain http:// without credentials), else null.
    /// </summary>
    public static string? Check(K8SConfiguration config, Context context)
    {
        var clusterName = context.ContextDetails?.Cluster;
        var endpoint = config.Clusters?.FirstOrDefault(c => c.Name == clusterName)?.ClusterEndpoint;
        if (endpoint is null)
        {
            return null;
        }

        if (endpoint.SkipTlsVerify && (!string.IsNullOrEmpty(endpoint.CertificateAuthority) || !string.IsNullOrEmpty(endpoint.CertificateAuthorityData)))
        {
            throw DaprErrors.ClusterTlsConfigInvalid.Raise(
                $"Context '{context.Name}': cluster '{clusterName}' sets both insecure-skip-tls-verify and a certificate authority; a CA cannot be checked with verification off.",
                context.Name,
                recommendedAction: "Remove insecure-skip-tls-verify from the kubeconfig's cluster entry (kubectl refuses this combination too).");
        }

        var userName = context.ContextDetails?.User;
        var credentials = config.Users?.FirstOrDefault(u => u.Name == userName)?.UserCredentials;
        if (IsPlainHttp(endpoint.Server) && CredentialKind(credentials) is { } kind)
        {
            throw DaprErrors.ClusterCredentialsOverHttp.Raise(
                $"Context '{context.Name}' would send its {kind} to {endpoint.Server} over plain http://, where anyone on the way can read it; nothing was sent.",
                context.Name,
                recommendedAction: "Use the server's https:// address, or a context without credentials for an unauthenticated local proxy.");
        }

        return IsPlainHttp(endpoint.Server)
            ? $"Cluster '{clusterName}' ({endpoint.Server}) is reached over plain http://: its answers are neither encrypted nor verified."
            : endpoint.SkipTlsVerify
                ? $"Cluster '{clusterName}' ({endpoint.Server}) runs without TLS verification (insecure-skip-tls-verify): its answers could come from anyone on the way."
                : null;
    }

    private static bool IsPlainHttp(string? server)
        => server is not null && server.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static string? CredentialKind(UserCredentials? credentials) => credentials switch
    {
        null => null,
        { Token.Length: > 0 } => "bearer token",
        { UserName.Length: > 0 } or { Password.Length: > 0 } => "user name and password",
        { ClientCertificateData.Length: > 0 } or { ClientCertificate.Length: > 0 } or { ClientKeyData.Length: > 0 } or { ClientKey.Length: > 0 } => "client certificate",
        { ExternalExecution: not null } => "exec plugin's credential",
        { AuthProvider: not null } => "auth provider's token",
        _ => null,
    };
}
