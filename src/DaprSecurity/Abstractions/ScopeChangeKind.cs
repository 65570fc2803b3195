namespace DaprSecurity.Abstractions;

/// <summary>How a scope edit changes the list.</summary>
public enum ScopeChangeKind
{
    /// <summary>The list becomes exactly the given app-ids.</summary>
    Set,

    /// <summary>The given app-ids are appended when missing.</summary>
    Add,

    /// <summary>The given app-ids are removed.</summary>
    Remove,
}
