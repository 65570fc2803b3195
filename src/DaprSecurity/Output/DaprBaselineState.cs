namespace DaprSecurity.Output;

/// <summary>Whether a failure was already in the baseline given with -BaselinePath.</summary>
public enum DaprBaselineState
{
    /// <summary>No baseline was given.</summary>
    None,

    /// <summary>Not in the baseline: a new failure.</summary>
    New,

    /// <summary>In the baseline: a known failure.</summary>
    Known,
}
