using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>How each Dapr app's sidecar is configured through its pod annotations.</summary>
internal static class SidecarRules
{
    /// <summary>The injector's default listen addresses (pkg/injector/patcher SidecarConfig).</summary>
    public const string DefaultListenAddresses = "[::1],127.0.0.1";

    private static readonly HashSet<string> s_loopback = new(StringComparer.OrdinalIgnoreCase) { "127.0.0.1", "::1", "localhost" };

    /// <summary>DAPR-SIDECAR-001: the Dapr API (3500, 50001) bound to loopback only.</summary>
    public static IEnumerable<RuleFinding> LoopbackOnly(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            var value = app.Annotation(DaprAnnotations.ListenAddresses);
            var at = app.AnnotationPath(DaprAnnotations.ListenAddresses);
            if (value is null)
            {
                return RuleFinding.Pass(app.Resource, $"{DaprAnnotations.ListenAddresses} is not set: the injector's default {DefaultListenAddresses} is loopback only.", at);
            }

            var exposed = NonLoopbackAddresses(app);
            return exposed.Count == 0
                ? RuleFinding.Pass(app.Resource, $"The Dapr API listens on {value} only.", at)
                : RuleFinding.Fail(app.Resource, $"{DaprAnnotations.ListenAddresses} is '{value}': the Dapr API listens on {string.Join(", ", exposed)}, reachable from outside the pod.", at);
        });

    /// <summary>The addresses of dapr.io/sidecar-listen-addresses that are not loopback (none when it is unset).</summary>
    public static IReadOnlyList<string> NonLoopbackAddresses(AuditWorkload app)
        => (app.Annotation(DaprAnnotations.ListenAddresses) ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Trim('[', ']'))
            .Where(a => !s_loopback.Contains(a))
            .ToList();

    /// <summary>DAPR-SIDECAR-002: API logging on, by annotation or by the app's Configuration.</summary>
    public static IEnumerable<RuleFinding> ApiLogging(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            var value = app.Annotation(DaprAnnotations.EnableApiLogging);
            if (value is not null)
            {
                var at = app.AnnotationPath(DaprAnnotations.EnableApiLogging);
                return DaprAnnotations.IsTruthy(value)
                    ? RuleFinding.Pass(app.Resource, $"{DaprAnnotations.EnableApiLogging} is '{value}'.", at)
                    : RuleFinding.Fail(app.Resource, $"{DaprAnnotations.EnableApiLogging} is '{value}': calls to the Dapr API leave no trace.", at);
            }

            var configName = app.Annotation(DaprAnnotations.Config);
            var configuration = snapshot.Configuration(app.Resource.Namespace, configName);
            var enabled = JsonText.Of(configuration?.Json, "spec", "logging", "apiLogging", "enabled");
            return DaprAnnotations.IsTruthy(enabled)
                ? RuleFinding.Pass(app.Resource, $"API logging is on in Configuration '{configName}' (spec.logging.apiLogging.enabled).", app.AnnotationPath(DaprAnnotations.Config))
                : RuleFinding.Fail(app.Resource, $"API logging is off: {DaprAnnotations.EnableApiLogging} is not set and {(configuration is null ? "the app has no Configuration" : $"Configuration '{configName}' does not set spec.logging.apiLogging.enabled: true")}.", app.AnnotationsPath);
        });

    /// <summary>DAPR-SIDECAR-003: profiling and debugging off.</summary>
    public static IEnumerable<RuleFinding> NoProfiling(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            var on = new[] { DaprAnnotations.EnableProfiling, "dapr.io/enable-debug" }.Where(a => DaprAnnotations.IsTruthy(app.Annotation(a))).ToList();
            return on.Count == 0
                ? RuleFinding.Pass(app.Resource, "Profiling and debugging are off.", app.AnnotationsPath)
                : RuleFinding.Fail(app.Resource, $"{string.Join(" and ", on)} {(on.Count == 1 ? "is" : "are")} on: the sidecar serves pprof (port 7777) or a debugger (port 40000) that anyone reaching the pod can use.", app.AnnotationPath(on[0]));
        });

    /// <summary>DAPR-SIDECAR-004 (cluster): dapr.io/enabled pods that run without a daprd container (injection failed).</summary>
    public static IEnumerable<RuleFinding> Injected(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            if (snapshot.Cluster?.PodsError is { } error)
            {
                return RuleFinding.Fail(app.Resource, $"Not checked: {error}") with { IsError = true };
            }

            var running = app.Pods.Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
            var missing = running.Where(p => DaprSidecar.Find(p) is null).Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).ToList();
            return missing.Count == 0
                ? RuleFinding.Pass(app.Resource, running.Count == 0 ? "No running pod to check." : $"All {running.Count} running pods have a daprd container.")
                : RuleFinding.Fail(app.Resource, $"{missing.Count} of {running.Count} running pods have {DaprAnnotations.Enabled} but no daprd container (the injector did not run, for example for a service account it does not allow): {string.Join(", ", missing.Take(5))}.");
        });

    /// <summary>DAPR-SIDECAR-005: dapr.io/ annotations the injector does not know (typos), with the nearest known one.</summary>
    public static IEnumerable<RuleFinding> KnownAnnotations(AuditSnapshot snapshot)
    {
        foreach (var workload in snapshot.Workloads.Where(w => !DaprApps.IsControlPlane(w)))
        {
            var dapr = workload.PodAnnotations.Keys.Where(k => k.StartsWith(DaprAnnotations.Prefix, StringComparison.Ordinal)).ToList();
            if (dapr.Count == 0)
            {
                continue;
            }

            var unknown = dapr.Where(k => !DaprAnnotations.Known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count == 0)
            {
                yield return RuleFinding.Pass(workload.Resource, "Every dapr.io/ annotation is one the injector reads.", workload.AnnotationsPath);
            }

            foreach (var annotation in unknown)
            {
                yield return RuleFinding.Fail(workload.Resource, $"Annotation '{annotation}' is not one Dapr reads, so it has no effect; did you mean '{DaprAnnotations.Nearest(annotation)}'?", workload.AnnotationPath(annotation));
            }
        }
    }
}
