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
    public const string EnableProfiling = "dapr.io/enable-profiling";
    public const string SidecarImage = "dapr.io/sidecar-image";
    public const string Prefix = "dapr.io/";

    /// <summary>Label the injector puts on every pod it injected.</summary>
    public const string SidecarInjectedLabel = "dapr.io/sidecar-injected";

    /// <summary>The pod-template annotation `kubectl rollout restart` sets; changing it rolls the pods.</summary>
    public const string RestartedAt = "kubectl.kubernetes.io/restartedAt";

    /// <summary>
    /// Every annotation the injector reads (pkg/injector/patcher SidecarConfig, through Dapr 1.18) and the ones Dapr
    /// itself puts on control-plane and injected pods; anything else under dapr.io/ is ignored by Dapr.
    /// </summary>
    public static IReadOnlySet<string> Known { get; } = new[]
    {
        "enabled", "app-port", "config", "app-protocol", "app-ssl", "app-id", "enable-profiling", "log-level",
        "api-token-secret", "app-token-secret", "log-as-json", "app-max-concurrency", "enable-metrics", "metrics-port",
        "enable-debug", "debug-port", "env", "env-from-secret", "sidecar-cpu-request", "sidecar-cpu-limit",
        "sidecar-memory-request", "sidecar-memory-limit", "sidecar-listen-addresses",
        "sidecar-liveness-probe-delay-seconds", "sidecar-liveness-probe-timeout-seconds", "sidecar-liveness-probe-period-seconds",
        "sidecar-liveness-probe-threshold", "sidecar-readiness-probe-delay-seconds", "sidecar-readiness-probe-timeout-seconds",
        "sidecar-readiness-probe-period-seconds", "sidecar-readiness-probe-threshold", "sidecar-image",
        "sidecar-seccomp-profile-type", "http-max-request-size", "max-body-size", "http-read-buffer-size", "read-buffer-size",
        "graceful-shutdown-seconds", "block-shutdown-duration", "enable-api-logging", "unix-domain-socket-path",
        "volume-mounts", "volume-mounts-rw", "disable-builtin-k8s-secret-store", "enable-app-health-check",
        "app-health-check-path", "app-health-probe-interval", "app-health-probe-timeout", "app-health-threshold",
        "placement-host-address", "scheduler-host-address", "pluggable-components", "pluggable-components-sockets-folder",
        "component-container", "inject-pluggable-components", "app-channel-address", "sentry-request-jwt-audiences",
        "disable-init-endpoints", "enable-native-sidecar", "sidecar-svc-annotations", "grpc-port", "internal-grpc-port",
        "actors-disseminate-timeout", "app-binding-options-timeout", "control-plane", "sidecar-injected", "metrics-enabled",
    }.Select(name => Prefix + name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The known annotation closest to <paramref name="annotation"/> by edit distance (for "did you mean").</summary>
    public static string Nearest(string annotation)
        => Known.OrderBy(known => EditDistance(annotation, known)).ThenBy(known => known, StringComparer.Ordinal).First();

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static readonly HashSet<string> s_truthy = new(StringComparer.OrdinalIgnoreCase) { "y", "yes", "true", "t", "on", "1" };

    /// <summary>Dapr's rule for boolean annotations (dapr/kit strings.IsTruthy): y, yes, true, t, on, 1, any case.</summary>
    public static bool IsTruthy(string? value) => value is not null && s_truthy.Contains(value.Trim());
}
