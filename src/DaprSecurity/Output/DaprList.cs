using System.Collections.ObjectModel;

namespace DaprSecurity.Output;

/// <summary>
/// A list property of an output object. It enumerates like an array (views show {a, b}, ConvertTo-Json writes an array,
/// -contains works), and its ToString() joins the items with ";", which is what Export-Csv writes into the cell
/// (an array would give "System.String[]").
/// </summary>
public sealed class DaprList<T> : ReadOnlyCollection<T>
{
    public DaprList(IList<T> items)
        : base(items)
    {
    }

    public static implicit operator DaprList<T>(T[] items) => new(items);

    public override string ToString() => string.Join(";", this);
}
