namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>The tool's identity in reports (SARIF driver, report headers).</summary>
internal static class ReportTool
{
    public const string Name = "DaprSecurity";

    /// <summary>The project page (the module manifest's ProjectUri).</summary>
    public const string InformationUri = "https://github.com/daprsecurity/DaprSecurity";

    /// <summary>
    /// A rule's help link as an absolute URI: as is when absolute, a README path or anchor resolved against the
    /// project's sources, null when it is neither (an about_ topic has no URI).
    /// </summary>
    public static string? AbsoluteHelpUri(string helpUri)
    {
        if (string.IsNullOrWhiteSpace(helpUri))
        {
            return null;
        }

        if (Uri.TryCreate(helpUri, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.AbsoluteUri;
        }

        var isDocument = helpUri.StartsWith('#') || helpUri.Contains(".md", StringComparison.OrdinalIgnoreCase);
        return isDocument && Uri.TryCreate(new Uri(InformationUri + "/blob/main/"), helpUri.StartsWith('#') ? "README.md" + helpUri : helpUri, out var resolved)
            ? resolved.AbsoluteUri
            : null;
    }
}
