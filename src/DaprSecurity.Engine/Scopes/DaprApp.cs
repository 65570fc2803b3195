using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Workloads;

namespace DaprSecurity.Engine.Scopes;

/// <summary>A Dapr-enabled app: its app-id, namespace and Configuration (dapr.io/config), from a workload or a manifest.</summary>
internal sealed record DaprApp(string Namespace, string AppId, string? Configuration)
{
    /// <summary>Where pod annotations sit in each kind of workload manifest.</summary>
    private static readonly Dictionary<string, string[]> s_annotationPaths = new(StringComparer.Ordinal)
    {
        ["Deployment"] = new[] { "spec", "template", "metadata", "annotations" },
        ["StatefulSet"] = new[] { "spec", "template", "metadata", "annotations" },
        ["DaemonSet"] = new[] { "spec", "template", "metadata", "annotations" },
        ["ReplicaSet"] = new[] { "spec", "template", "metadata", "annotations" },
        ["Job"] = new[] { "spec", "template", "metadata", "annotations" },
        ["CronJob"] = new[] { "spec", "jobTemplate", "spec", "template", "metadata", "annotations" },
        ["Pod"] = new[] { "metadata", "annotations" },
    };

    /// <summary>The app of a Dapr-enabled workload with an app-id; null otherwise.</summary>
    public static DaprApp? From(Workload workload)
        => workload.IsDaprEnabled && !string.IsNullOrEmpty(workload.AppId) ? new DaprApp(workload.Namespace, workload.AppId, workload.Annotation(DaprAnnotations.Config)) : null;

    /// <summary>The app of a workload manifest whose pods Dapr injects and that sets an app-id; null otherwise.</summary>
    public static DaprApp? From(ManifestObject obj)
    {
        if (!s_annotationPaths.TryGetValue(obj.Kind, out var path))
        {
            return null;
        }

        string? Annotation(string key) => obj.Text(path.Append(key).ToArray());
        var appId = Annotation(DaprAnnotations.AppId);
        return DaprAnnotations.IsTruthy(Annotation(DaprAnnotations.Enabled)) && !string.IsNullOrEmpty(appId)
            ? new DaprApp(obj.Namespace, appId, Annotation(DaprAnnotations.Config))
            : null;
    }
}
