namespace DaprSecurity.Output;

/// <summary>The report formats Test-DaprSecurity writes with -OutputFormat and -OutputPath.</summary>
public enum DaprReportFormat
{
    /// <summary>SARIF 2.1.0 (GitHub code scanning, Azure DevOps' Scans tab).</summary>
    Sarif,

    /// <summary>NUnit 3 XML (Azure DevOps PublishTestResults@2).</summary>
    NUnit3,

    /// <summary>JUnit XML (GitHub test reporters, most CI systems).</summary>
    JUnit,

    /// <summary>A Markdown summary (##vso[task.uploadsummary], pull-request comments).</summary>
    Markdown,

    /// <summary>OpenMetrics / Prometheus text exposition (node-exporter textfile, Pushgateway).</summary>
    OpenMetrics,
}
