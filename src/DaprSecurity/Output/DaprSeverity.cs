namespace DaprSecurity.Output;

/// <summary>How much a failed audit rule matters, from least to most (so comparisons such as -FailOn work).</summary>
public enum DaprSeverity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
