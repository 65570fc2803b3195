using System.Management.Automation;

namespace DaprSecurity.Output;

/// <summary>
/// Base of every object read from or written to a cluster: it carries the cluster it belongs to, so a piped object is
/// always acted on there (cluster cmdlets bind -Context and -KubeConfig from these properties by name).
/// </summary>
public abstract class DaprClusterObject
{
    private string? _context;
    private string? _kubeConfig;

    /// <summary>The kubeconfig context the object was read from (null for an object read from a file).</summary>
    public virtual string? Context { get => _context; init => _context = value; }

    /// <summary>The kubeconfig file given with -KubeConfig when it was read; null when the default kubeconfig was used.</summary>
    public string? KubeConfig { get => _kubeConfig; init => _kubeConfig = value; }

    /// <summary>
    /// The namespace the object is in (a namespace's own name), hidden from views and CSV: cluster cmdlets bind it by
    /// property name (their hidden -PipedNamespace) in every parameter set, so an object whose namespace -Namespace does
    /// not select is reported, without taking the by-value binding other parameters need.
    /// </summary>
    [Hidden]
    public string? PipedNamespace => this is DaprNamespaceInfo ns ? ns.Name : GetType().GetProperty("Namespace")?.GetValue(this) as string;

    /// <summary>Records the cluster the object came from, unless the engine already did.</summary>
    internal void From(string context, string? kubeConfig)
    {
        _context ??= context;
        _kubeConfig ??= kubeConfig;
    }
}
