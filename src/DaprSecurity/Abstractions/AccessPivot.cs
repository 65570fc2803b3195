using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>The app-by-component table: one row per app, one column per component name.</summary>
public sealed record AccessPivot(IReadOnlyList<string> Columns, IReadOnlyList<DaprAccessPivotRow> Rows);
