using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Text;

namespace DaprSecurity.Hosting;

/// <summary>Turns engine errors into PowerShell ErrorRecords with the same id, category and target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(DaprSecurityException error)
    {
        var category = Enum.TryParse<ErrorCategory>(error.Category.ToString(), out var parsed) ? parsed : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(error, error.ErrorId, category, error.TargetObject)
        {
            // What PowerShell shows; the exception keeps the raw text for scripts.
            ErrorDetails = new ErrorDetails(UntrustedText.SanitizeMessage(error.Message)) { RecommendedAction = error.RecommendedAction is null ? null : UntrustedText.SanitizeMessage(error.RecommendedAction) },
        };
        record.CategoryInfo.TargetName = UntrustedText.Sanitize(record.CategoryInfo.TargetName);
        return record;
    }
}
