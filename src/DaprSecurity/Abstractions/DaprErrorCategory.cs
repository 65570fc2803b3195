namespace DaprSecurity.Abstractions;

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
    InvalidResult,
}
