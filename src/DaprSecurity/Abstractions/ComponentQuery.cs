namespace DaprSecurity.Abstractions;

/// <summary>Which components: namespace and name patterns (wildcards allowed); null selects all.</summary>
public sealed record ComponentQuery(IReadOnlyList<string>? Namespaces, IReadOnlyList<string>? Names);
