using System.Text;

namespace DaprSecurity.KubeApiServer.Security;

/// <summary>How a kubeconfig user proves who it is.</summary>
public abstract record KubeconfigCredential
{
    private KubeconfigCredential()
    {
    }

    public sealed record Token(string Value) : KubeconfigCredential;

    public sealed record ClientCertificate(PemCredential Pem) : KubeconfigCredential;
}

/// <summary>
/// Writes kubeconfig files that kubectl and KubernetesClient both read unchanged: the CA inline
/// (<c>certificate-authority-data</c>), <c>server: https://127.0.0.1:PORT</c>, and a token or client certificate inline.
/// </summary>
public static class KubeconfigWriter
{
    public const string ClusterName = "kube-api-server";

    public static string Render(string server, string caPem, string user, KubeconfigCredential credential, string defaultNamespace = "default")
    {
        var context = $"{user}@{ClusterName}";
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {ClusterName}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server}")
            .AppendLine($"    certificate-authority-data: {Base64(caPem)}")
            .AppendLine("users:")
            .AppendLine($"- name: {user}")
            .AppendLine("  user:");
        switch (credential)
        {
            case KubeconfigCredential.Token token:
                text.AppendLine($"    token: {token.Value}");
                break;
            case KubeconfigCredential.ClientCertificate certificate:
                text.AppendLine($"    client-certificate-data: {Base64(certificate.Pem.CertificatePem)}")
                    .AppendLine($"    client-key-data: {Base64(certificate.Pem.PrivateKeyPem)}");
                break;
        }
        return text
            .AppendLine("contexts:")
            .AppendLine($"- name: {context}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {ClusterName}")
            .AppendLine($"    user: {user}")
            .AppendLine($"    namespace: {defaultNamespace}")
            .AppendLine($"current-context: {context}")
            .ToString();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
