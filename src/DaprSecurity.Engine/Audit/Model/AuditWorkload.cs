using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Workloads;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Model;

/// <summary>
/// Something that runs pods: a Deployment, StatefulSet or DaemonSet (its pod template) or a bare Pod. Sidecar and
/// token rules read its pod annotations and pod spec the same way for both; <see cref="AnnotationsPath"/> and
/// <see cref="SpecPath"/> say where those sit in a manifest.
/// </summary>
internal sealed class AuditWorkload
{
    private static readonly string[] s_templatePath = { "spec", "template" };

    private AuditWorkload(AuditResource resource, V1PodTemplateSpec template, Workload? workload, string[] podPath)
    {
        Resource = resource;
        Template = template;
        Workload = workload;
        PodAnnotations = template.Metadata?.Annotations ?? new Dictionary<string, string>();
        AnnotationsPath = podPath.Concat(new[] { "metadata", "annotations" }).ToArray();
        SpecPath = podPath.Append("spec").ToArray();
    }

    public AuditResource Resource { get; }

    /// <summary>The workload behind it (null for a bare Pod).</summary>
    public Workload? Workload { get; }

    public V1PodTemplateSpec Template { get; }

    public V1PodSpec Spec => Template.Spec ?? new V1PodSpec();

    /// <summary>The annotations the sidecar injector reads (the pod template's, or the pod's).</summary>
    public IDictionary<string, string> PodAnnotations { get; }

    public IReadOnlyList<string> AnnotationsPath { get; }

    public IReadOnlyList<string> SpecPath { get; }

    /// <summary>Running pods of this workload (cluster only; empty for files).</summary>
    public IReadOnlyList<V1Pod> Pods { get; init; } = Array.Empty<V1Pod>();

    public bool IsDaprEnabled => DaprAnnotations.IsTruthy(Annotation(DaprAnnotations.Enabled));

    public string? AppId => Annotation(DaprAnnotations.AppId);

    public string? Annotation(string key) => PodAnnotations.TryGetValue(key, out var value) ? value : null;

    /// <summary>The manifest path of one pod annotation.</summary>
    public IReadOnlyList<string> AnnotationPath(string key) => AnnotationsPath.Append(key).ToArray();

    /// <summary>The labels its pods carry (what a Service selects).</summary>
    public IDictionary<string, string> PodLabels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    /// <summary>A workload; its resource carries the object's annotations and, under them, its pod template's (suppressions may sit on either).</summary>
    public static AuditWorkload From(Workload workload, ManifestLocation? source, IReadOnlyList<V1Pod>? pods = null)
        => new(Merged(workload, source), workload.Template, workload, s_templatePath)
        {
            Pods = pods ?? Array.Empty<V1Pod>(),
        };

    /// <param name="running">True for a pod read from a cluster: it is its own running pod.</param>
    public static AuditWorkload From(V1Pod pod, ManifestLocation? source, bool running = false)
        => new(ResourceOf("Pod", pod.Metadata, source), new V1PodTemplateSpec { Metadata = pod.Metadata, Spec = pod.Spec }, null, Array.Empty<string>())
        {
            Pods = running ? new[] { pod } : Array.Empty<V1Pod>(),
        };

    private static AuditResource Merged(Workload workload, ManifestLocation? source)
    {
        var annotations = new Dictionary<string, string>(workload.Annotations);
        foreach (var (key, value) in workload.Template.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            annotations.TryAdd(key, value);
        }

        var onObject = workload.Annotations.ContainsKey(Gate.Suppressions.Annotation) || !annotations.ContainsKey(Gate.Suppressions.Annotation);
        return new AuditResource(workload.Kind.ToString(), workload.Namespace ?? "", workload.Name ?? "")
        {
            Annotations = annotations,
            Source = source,
            AnnotationsAt = onObject ? new[] { "metadata", "annotations" } : new[] { "spec", "template", "metadata", "annotations" },
        };
    }

    public static AuditResource ResourceOf(string kind, V1ObjectMeta? metadata, ManifestLocation? source)
        => new(kind, metadata?.NamespaceProperty ?? "", metadata?.Name ?? "")
        {
            Annotations = metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : new Dictionary<string, string>(),
            Source = source,
        };
}
