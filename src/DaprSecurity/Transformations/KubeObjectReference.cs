using System.Collections;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DaprSecurity.Transformations;

/// <summary>
/// A Kubernetes object as kubectl hands it over: an item of <c>kubectl get -o json | ConvertFrom-Json</c> (kind and
/// metadata.name, metadata.namespace), or a <c>kubectl get -o name</c> string such as <c>namespace/shop</c> or
/// <c>deployment.apps/orders</c> (no namespace). <see cref="Kind"/> is the canonical kind (Namespace, Deployment,
/// StatefulSet, DaemonSet, Secret, Component) or, for a kind this module does not use, the kind as given.
/// </summary>
internal sealed record KubeObjectReference(string Kind, string? Namespace, string Name)
{
    public const string NamespaceKind = "Namespace";
    public const string SecretKind = "Secret";
    public const string ComponentKind = "Component";

    /// <summary>The workload kinds Dapr injects into, as Kubernetes spells them.</summary>
    public static readonly IReadOnlyList<string> WorkloadKinds = new[] { "Deployment", "StatefulSet", "DaemonSet" };

    private static readonly Regex s_kubectlName = new(@"^(?<resource>[A-Za-z][A-Za-z0-9.-]*)/(?<name>[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$", RegexOptions.CultureInvariant);

    // kubectl's resource names, short names and -o name prefixes of the kinds this module takes.
    private static readonly Dictionary<string, string> s_resources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["namespace"] = NamespaceKind, ["namespaces"] = NamespaceKind, ["ns"] = NamespaceKind,
        ["deployment"] = "Deployment", ["deployments"] = "Deployment", ["deploy"] = "Deployment", ["deployment.apps"] = "Deployment",
        ["statefulset"] = "StatefulSet", ["statefulsets"] = "StatefulSet", ["sts"] = "StatefulSet", ["statefulset.apps"] = "StatefulSet",
        ["daemonset"] = "DaemonSet", ["daemonsets"] = "DaemonSet", ["ds"] = "DaemonSet", ["daemonset.apps"] = "DaemonSet",
        ["secret"] = SecretKind, ["secrets"] = SecretKind,
        ["component"] = ComponentKind, ["components"] = ComponentKind, ["component.dapr.io"] = ComponentKind,
    };

    public bool IsWorkload => WorkloadKinds.Contains(Kind, StringComparer.Ordinal);

    /// <summary>The sentence an error for a kind a command does not take ends with: namespaces and the kinds it takes (<paramref name="takes"/>, "Workload" for the workload kinds).</summary>
    public static string TakenKinds(IEnumerable<string> takes)
    {
        var kinds = new[] { NamespaceKind }.Concat(takes.Select(k => k == "Workload" ? string.Join(", ", WorkloadKinds) : k));
        return $"This command takes namespace names, 'namespace/<name>' and these kinds of kubectl objects (kubectl get -o json | ConvertFrom-Json): {string.Join(", ", kinds)}.";
    }

    /// <summary>How errors and messages name it: "Deployment shop/orders".</summary>
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    /// <summary>Reads <paramref name="input"/> as a Kubernetes object; null for anything else (plain names, this module's own objects, objects without kind).</summary>
    public static KubeObjectReference? From(object? input)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        if (value is string text)
        {
            var match = s_kubectlName.Match(text);
            return match.Success
                ? new KubeObjectReference(s_resources.TryGetValue(match.Groups["resource"].Value, out var known) ? known : match.Groups["resource"].Value, null, match.Groups["name"].Value)
                : null;
        }

        if (value is null or IEnumerable || value.GetType().Namespace?.StartsWith("DaprSecurity", StringComparison.Ordinal) == true)
        {
            return null;
        }

        var item = PSObject.AsPSObject(input);
        if (item.Properties["kind"]?.Value is not string { Length: > 0 } kind
            || item.Properties["metadata"]?.Value is not { } metadata
            || PSObject.AsPSObject(metadata).Properties["name"]?.Value is not string { Length: > 0 } name)
        {
            return null;
        }

        var ns = PSObject.AsPSObject(metadata).Properties["namespace"]?.Value as string;
        return new KubeObjectReference(s_resources.TryGetValue(kind, out var canonical) ? canonical : kind, string.IsNullOrEmpty(ns) ? null : ns, name);
    }
}
