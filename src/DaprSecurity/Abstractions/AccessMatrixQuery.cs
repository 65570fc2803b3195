namespace DaprSecurity.Abstractions;

/// <summary>Which part of the matrix: namespace patterns and app-ids (null: all). An app-id without wildcards that no workload has is still evaluated.</summary>
public sealed record AccessMatrixQuery(IReadOnlyList<string>? Namespaces, IReadOnlyList<string>? AppIds);
