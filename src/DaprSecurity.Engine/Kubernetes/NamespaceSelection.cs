using DaprSecurity.Abstractions;
using k8s.Models;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>The namespaces a set of names and wildcard patterns selects, and an error for each pattern that selects none.</summary>
public sealed record NamespaceSelection(IReadOnlyList<V1Namespace> Namespaces, IReadOnlyList<DaprSecurityException> Errors);
