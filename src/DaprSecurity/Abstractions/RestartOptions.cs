namespace DaprSecurity.Abstractions;

/// <summary>How Restart-DaprDeployment works: follow each rollout (<paramref name="Wait"/>, up to <paramref name="Timeout"/>) in waves
/// of namespaces (<paramref name="Canary"/> first, then <paramref name="Waves"/>, null for the defaults), restart workloads whose pods
/// already hold the token (<paramref name="Force"/>), and how many restarts run at once (<paramref name="ThrottleLimit"/>).</summary>
public sealed record RestartOptions(bool Wait, TimeSpan Timeout, bool Force, int ThrottleLimit, IReadOnlyList<string>? Canary = null, IReadOnlyList<string>? Waves = null)
{
    /// <summary>
    /// Restarts (and, with Wait, rollouts followed) at the same time, unless -ThrottleLimit says otherwise; chosen from
    /// measurement (README, Benchmarks): see Restart-DaprDeployment's -ThrottleLimit help.
    /// </summary>
    public const int DefaultThrottleLimit = 16;

    /// <summary>What a -Wave size looks like: a number of namespaces (5) or a share of all of them (25%).</summary>
    public const string WaveSizePattern = @"^([1-9][0-9]{0,5}|([1-9][0-9]?|100)%)$";
}
