namespace DaprSecurity.Validation;

/// <summary>
/// Declares what a parameter's value must be. Every DaprSecurity cmdlet checks its bound parameters against these
/// before any work (see <see cref="ParameterValidation"/>), so bad input is a catalogue error and nothing is written.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DaprInputAttribute : Attribute
{
    public DaprInputAttribute(DaprInputKind kind) => Kind = kind;

    public DaprInputKind Kind { get; }

    /// <summary>The parameter selects existing objects by pattern: wildcards are allowed and case does not matter.</summary>
    public bool Wildcards { get; init; }

    /// <summary>An empty string is allowed (it removes an annotation).</summary>
    public bool AllowEmpty { get; init; }
}
