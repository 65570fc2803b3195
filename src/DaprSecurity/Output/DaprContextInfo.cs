using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One kubeconfig context, as Get-DaprContext shows it.</summary>
public sealed class DaprContextInfo
{
    /// <summary>The context name; pass it to -Context of any cluster cmdlet.</summary>
    [TableColumn(1, Width = 22)]
    public string Name { get; init; } = "";

    /// <summary>True for the kubeconfig's current-context.</summary>
    [TableColumn(0, Width = 9)]
    public bool IsCurrent { get; init; }

    [TableColumn(5, Wide = true)]
    public string Cluster { get; init; } = "";

    [TableColumn(6, Wide = true)]
    public string Server { get; init; } = "";

    /// <summary>The context's default namespace ("default" when the kubeconfig sets none). Not named Namespace, so a piped context never binds as a namespace.</summary>
    [TableColumn(2, Width = 16)]
    public string DefaultNamespace { get; init; } = "default";

    [TableColumn(3, Width = 17)]
    public string User { get; init; } = "";

    /// <summary>How the user authenticates; never the credential itself.</summary>
    [TableColumn(4, Width = 11)]
    public DaprAuthKind AuthKind { get; init; }

    /// <summary>The context name again, so a piped context binds to -Context of the cluster cmdlets (never as a namespace).</summary>
    public string Context => Name;

    /// <summary>The kubeconfig file that defines this context.</summary>
    public string KubeConfig { get; init; } = "";

    public override string ToString() => Name;
}
