namespace DaprSecurity.Engine.Dapr;

/// <summary>The annotations and labels the Dapr sidecar injector reads and writes (dapr/dapr pkg/injector/annotations).</summary>
public static class DaprAnnotations
{
    public const string Enabled = "dapr.io/enabled";
    public const string AppId = "dapr.io/app-id";
    public const string AppTokenSecret = "dapr.io/app-token-secret";
    public const string ApiTokenSecret = "dapr.io/api-token-secret";
    public const string ListenAddresses = "dapr.io/sidecar-listen-addresses";
    public const string EnableApiLogging = "dapr.io/enable-api-logging";
    public const string Config = "dapr.io/config";
    public const string ControlPlane = "dapr.io/control-plane";

    /// <summary>Label the injector puts on every pod it injected.</summary>
    public const string SidecarInjectedLabel = "dapr.io/sidecar-injected";

    /// <summary>The pod-template annotation `kubectl rollout restart` sets; changing it rolls the pods.</summary>
    public const string RestartedAt = "kubectl.kubernetes.io/restartedAt";

    private static readonly HashSet<string> s_truthy = new(StringComparer.OrdinalIgnoreCase) { "y", "yes", "true", "t", "on", "1" };

    /// <summary>Dapr's rule for boolean annotations (dapr/kit strings.IsTruthy): y, yes, true, t, on, 1, any case.</summary>
    public static bool IsTruthy(string? value) => value is not null && s_truthy.Contains(value.Trim());
}
