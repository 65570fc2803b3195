namespace DaprSecurity.Abstractions;

/// <summary>
/// An error the user can act on. Cmdlets turn it into an ErrorRecord with the same id, category and target,
/// so scripts can rely on <see cref="ErrorId"/>. The message must never contain a token or key.
/// </summary>
public sealed class DaprSecurityException : Exception
{
    public DaprSecurityException(string errorId, DaprErrorCategory category, string message, object? targetObject = null, Exception? innerException = null, string? recommendedAction = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        TargetObject = targetObject;
        RecommendedAction = recommendedAction;
    }

    /// <summary>Stable identifier, e.g. <c>KubeConfigNotFound</c>.</summary>
    public string ErrorId { get; }

    public DaprErrorCategory Category { get; }

    /// <summary>What the error is about: a namespace name, a file path, a context name.</summary>
    public object? TargetObject { get; }

    public string? RecommendedAction { get; }
}

/// <summary>
/// The subset of PowerShell's ErrorCategory the module uses, with identical names, so the engine can
/// classify errors without referencing PowerShell.
/// </summary>
public enum DaprErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    PermissionDenied,
    AuthenticationError,
    SecurityError,
    ConnectionError,
    OperationTimeout,
    OperationStopped,
    ReadError,
    WriteError,
    LimitsExceeded,
}
