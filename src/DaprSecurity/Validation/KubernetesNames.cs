using System.Text.RegularExpressions;

namespace DaprSecurity.Validation;

/// <summary>Kubernetes' naming rules (DNS-1123) and Dapr's app-id rule, as the API server and the injector apply them.</summary>
public static partial class KubernetesNames
{
    /// <summary>A DNS-1123 label: namespaces (at most 63 characters).</summary>
    public static bool IsLabel(string name) => name.Length <= 63 && Label().IsMatch(name);

    /// <summary>A DNS-1123 subdomain: Secrets, Deployments, components (at most 253 characters).</summary>
    public static bool IsSubdomain(string name) => name.Length <= 253 && Subdomain().IsMatch(name);

    /// <summary>
    /// Dapr names a Service "&lt;app-id&gt;-dapr", so the app-id plus "-dapr" must be a label of at most 63 characters
    /// (dapr/dapr pkg/validation ValidateKubernetesAppID).
    /// </summary>
    public static bool IsAppId(string appId) => appId.Length <= 63 - "-dapr".Length && Label().IsMatch(appId);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();
}
