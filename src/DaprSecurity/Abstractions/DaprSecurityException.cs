namespace DaprSecurity.Abstractions;

/// <summary>
/// An error the user can act on. Cmdlets turn it into an ErrorRecord with the same id, category and target,
/// so scripts can rely on <see cref="ErrorId"/>. The message must never contain a token or key.
/// </summary>
public sealed class DaprSecurityException : Exception
{
    internal DaprSecurityException(DaprError error, string message, object? targetObject = null, Exception? innerException = null, string? recommendedAction = null)
        : base(message, innerException)
    {
        Error = error;
        TargetObject = targetObject;
        RecommendedAction = recommendedAction;
    }

    /// <summary>The catalogue entry of this error.</summary>
    public DaprError Error { get; }

    /// <summary>Stable identifier, e.g. <c>KubeConfigNotFound</c>.</summary>
    public string ErrorId => Error.Id;

    public DaprErrorCategory Category => Error.Category;

    /// <summary>True when this is <paramref name="error"/> (match errors this way, never by id text).</summary>
    public bool Is(DaprError error) => Error == error;

    /// <summary>What the error is about: a namespace name, a file path, a context name.</summary>
    public object? TargetObject { get; }

    public string? RecommendedAction { get; }

    /// <summary>For an error of the Kubernetes API: its HTTP status, reason and the resource it was about.</summary>
    public KubeApiFailure? ApiFailure { get; internal init; }

    /// <summary>
    /// The same error (catalogue entry, target and API failure) with a new message, cause or advice, for code that adds
    /// context to an error it caught.
    /// </summary>
    public DaprSecurityException Reraise(string message, Exception? innerException, string? recommendedAction)
        => new(Error, message, TargetObject, innerException, recommendedAction) { ApiFailure = ApiFailure };
}
