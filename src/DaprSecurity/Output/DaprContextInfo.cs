using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One kubeconfig context, as Get-DaprContext shows it.</summary>
public sealed class DaprContextInfo
{
    /// <summary>The context name; pass it to -Context of any cluster cmdlet.</summary>
    [TableColumn(1)]
    public string Name { get; init; } = "";

    /// <summary>True for the kubeconfig's current-context.</summary>
    [TableColumn(0)]
    public bool IsCurrent { get; init; }

    [TableColumn(2)]
    public string Cluster { get; init; } = "";

    [TableColumn(3)]
    public string Server { get; init; } = "";

    /// <summary>The context's default namespace ("default" when the kubeconfig sets none). Not named Namespace, so a piped context never binds as a namespace.</summary>
    [TableColumn(4)]
    public string DefaultNamespace { get; init; } = "default";

    [TableColumn(5)]
    public string User { get; init; } = "";

    /// <summary>How the user authenticates; never the credential itself.</summary>
    [TableColumn(6)]
    public DaprAuthKind AuthKind { get; init; }

    /// <summary>The context name again, so a piped context binds to -Context of the cluster cmdlets (never as a namespace).</summary>
    public string Context => Name;

    /// <summary>The kubeconfig file that defines this context.</summary>
    public string KubeConfig { get; init; } = "";

    public override string ToString() => Name;
}

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
