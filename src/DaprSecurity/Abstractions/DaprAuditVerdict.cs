namespace DaprSecurity.Abstractions;

/// <summary>The verdict of a run, filled in by the engine as results stream out (read it after enumerating them).</summary>
public sealed class DaprAuditVerdict
{
    /// <summary>True once the results were enumerated to the end.</summary>
    public bool Completed { get; set; }

    /// <summary>Failures (counted by -FailOn and -FailOnNewOnly) and Error results.</summary>
    public int Blocking { get; set; }

    /// <summary>True when the run completed with nothing blocking.</summary>
    public bool Passed => Completed && Blocking == 0;
}
