using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>One workload named by the user or piped from Get-DaprDeployment.</summary>
public sealed record WorkloadReference(string Namespace, DaprWorkloadKind Kind, string Name);
