namespace DaprSecurity.Formatting;

/// <summary>
/// Puts a property in its type's default table view. The build generates DaprSecurity.Format.ps1xml from these
/// attributes, so every output type's view lives next to the type. The column label is always the property name,
/// so what users see is what they can filter on.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class TableColumnAttribute : Attribute
{
    public TableColumnAttribute(int order) => Order = order;

    /// <summary>Left-to-right position of the column.</summary>
    public int Order { get; }

    /// <summary>Fixed column width; 0 lets PowerShell size the column.</summary>
    public int Width { get; set; }

    /// <summary>Right-align (numbers, counts).</summary>
    public bool AlignRight { get; set; }
}
