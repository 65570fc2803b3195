using System.Management.Automation;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Hosting;

/// <summary>Turns engine errors into PowerShell ErrorRecords with the same id, category and target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(DaprSecurityException error)
    {
        var category = Enum.TryParse<ErrorCategory>(error.Category.ToString(), out var parsed) ? parsed : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(error, error.ErrorId, category, error.TargetObject);
        if (error.RecommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction };
        }

        return record;
    }
}
