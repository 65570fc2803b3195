namespace DaprSecurity.Output;

/// <summary>The outcome of a check, from best to worst.</summary>
public enum DaprCheckResult
{
    Pass,
    Warning,
    Fail,
}
