namespace DaprSecurity.Engine.Scopes;

/// <summary>The Dapr side of one namespace, as <see cref="ClusterSnapshot"/> hands it out.</summary>
/// <param name="Components">By name.</param>
/// <param name="Configurations">Empty when they were not asked for.</param>
/// <param name="Apps">Null when the workloads could not be listed and the caller could do without them.</param>
internal sealed record NamespaceSnapshot(string Namespace, IReadOnlyList<ComponentDocument> Components, IReadOnlyList<ConfigurationDocument> Configurations, IReadOnlyList<DaprApp>? Apps);
