using System.Management.Automation;

namespace DaprSecurity.Commands;

/// <summary>
/// The parameters of every command that reads several clusters at once (<see cref="ReadsClustersInParallelAttribute"/>).
/// Readers derive from different bases (namespace readers, control-plane cmdlets, cluster-or-manifest cmdlets, each
/// shared with writers), so <see cref="DaprClusterCmdlet"/> offers these as dynamic parameters: one declaration for all.
/// </summary>
public sealed class ParallelReadParameters
{
    /// <summary>How many clusters are read at the same time when -Context names several or contexts are piped in (1 to 64). Default: 4. With one cluster it changes nothing.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;
}
