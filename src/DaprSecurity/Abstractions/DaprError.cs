namespace DaprSecurity.Abstractions;

/// <summary>
/// One entry of the error catalogue (<see cref="DaprErrors"/>): a stable id, its one category and what it means.
/// Errors are raised and matched through these declarations, never through id strings.
/// </summary>
public sealed record DaprError(string Id, DaprErrorCategory Category, string Meaning)
{
    /// <summary>An exception carrying this error, for <c>throw</c> or a non-terminating write.</summary>
    public DaprSecurityException Raise(string message, object? targetObject = null, Exception? innerException = null, string? recommendedAction = null)
        => new(this, message, targetObject, innerException, recommendedAction);

    public override string ToString() => Id;
}
