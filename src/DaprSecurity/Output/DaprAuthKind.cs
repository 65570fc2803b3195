namespace DaprSecurity.Output;

/// <summary>The kind of credential a kubeconfig user carries.</summary>
public enum DaprAuthKind
{
    None,
    Token,
    ClientCertificate,
    Basic,
    Exec,
    AuthProvider,
    InCluster,
}
