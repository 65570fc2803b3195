namespace DaprSecurity.Engine.Workloads;

/// <summary>A workload to restart and the pod-template annotations to write with the restart (token fingerprints), if any.</summary>
public sealed record RolloutTarget(Workload Workload, IReadOnlyDictionary<string, string>? TemplateAnnotations = null);
