using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands;

/// <summary>
/// The parameters of every command that restarts Dapr workloads in waves of namespaces (<see cref="RestartsInWavesAttribute"/>):
/// Restart-DaprDeployment and Update-DaprTrustBundle share one wave implementation, so they share these too, with one
/// help text. They derive from different bases (cluster and control-plane cmdlets, each shared with commands that
/// restart nothing), so <see cref="DaprClusterCmdlet"/> offers these as dynamic parameters: one declaration for both.
/// </summary>
public sealed class RolloutWaveParameters
{
    /// <summary>When workloads are restarted in waves (Restart-DaprDeployment -Wait; Update-DaprTrustBundle -Restart or -RestartOnly, after the control plane), the namespaces restarted first, alone (wildcards allowed). Default: the first namespace. On a rerun whose canary is already done (its workloads' pods already hold the new token, or trust the current root), the first namespace left is the canary instead.</summary>
    [Parameter]
    [SupportsWildcards]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[]? Canary { get; set; }

    /// <summary>When workloads are restarted in waves (Restart-DaprDeployment -Wait; Update-DaprTrustBundle -Restart or -RestartOnly), the sizes of the waves after the canary, as numbers of namespaces (5) or shares of all of them (25%); the namespaces left after the last one form a final wave. Default: 1, 5%, 25%.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidatePattern(RestartOptions.WaveSizePattern)]
    public string[]? Wave { get; set; }

    /// <summary>How many workloads are restarted (and, when their rollouts are waited for, followed) at the same time, 1 to 64: by Restart-DaprDeployment with or without -Wait, by Update-DaprTrustBundle with -Restart or -RestartOnly. Default: 16, from measurement: rotating 200 workloads in 40 namespaces at 20 ms per request, 4 and 8 took 1.2 to 1.5 times as long as 16, and 32 was no faster than 16 (0.93 and 1.08 times; noise), so 16 is as fast as it gets while asking the API server for the least concurrency.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = RestartOptions.DefaultThrottleLimit;
}
