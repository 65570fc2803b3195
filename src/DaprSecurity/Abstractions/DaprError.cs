namespace DaprSecurity.Abstractions;

/// <summary>
/// One entry of the error catalogue (<see cref="DaprErrors"/>): a stable id, its one category and what it means.
/// Errors are raised and matched through these declarations, never through id strings. Only the catalogue creates
/// entries (the constructor is internal), so an error the catalogue lacks cannot be raised.
/// </summary>
public sealed class DaprError
{
    internal DaprError(string id, DaprErrorCategory category, string meaning)
    {
        Id = id;
        Category = category;
        Meaning = meaning;
    }

    /// <summary>Stable identifier, e.g. <c>KubeConfigNotFound</c>.</summary>
    public string Id { get; }

    public DaprErrorCategory Category { get; }

    /// <summary>One line saying what the error means (the README's error table).</summary>
    public string Meaning { get; }

    /// <summary>An exception carrying this error, for <c>throw</c> or a non-terminating write.</summary>
    public DaprSecurityException Raise(string message, object? targetObject = null, Exception? innerException = null, string? recommendedAction = null)
        => new(this, message, targetObject, innerException, recommendedAction);

    /// <summary>Like <see cref="Raise(string, object?, Exception?, string?)"/>, for a failed Kubernetes API call: the answer travels as data.</summary>
    public DaprSecurityException Raise(KubeApiFailure apiFailure, string message, object? targetObject, Exception? innerException)
        => new(this, message, targetObject, innerException) { ApiFailure = apiFailure };

    public override string ToString() => Id;
}
