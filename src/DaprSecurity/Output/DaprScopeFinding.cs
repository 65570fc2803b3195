namespace DaprSecurity.Output;

/// <summary>A problem with how a component is scoped, attached to the component it concerns.</summary>
public sealed class DaprScopeFinding
{
    /// <summary>Stable identifier: ScopeKeyMisspelled, ScopesKeyWrongCase, ScopesMisplaced, ScopesNotAList, ScopeAppIdUnknown, ScopeAppIdInvalid, ScopeKeyDroppedByServer.</summary>
    public string Code { get; init; } = "";

    public string Message { get; init; } = "";

    /// <summary>The component the finding is about ("namespace/name").</summary>
    public string Component { get; init; } = "";

    /// <summary>The manifest file, or null for the cluster.</summary>
    public string? Path { get; init; }

    /// <summary>The line of the offending key or entry in <see cref="Path"/>.</summary>
    public int? Line { get; init; }

    public override string ToString() => Message;
}
