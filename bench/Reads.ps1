<#
.SYNOPSIS
    Reads over many namespaces: Get-DaprDeployment -Namespace * in a fresh pwsh against kubectl get of the same kinds
    (Deployments, StatefulSets, DaemonSets and Pods, what Get-DaprDeployment lists) as JSON; and when the module's
    first object comes out, against its whole command in the same process.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [int] $Namespaces = $(if ($Quick) { 50 } else { 1000 }),
    [int] $WorkloadsPerNamespace = 5,
    [int] $LatencyMs = 20,
    [int] $Rounds = $(if ($Quick) { 3 } else { 5 })
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, 'Bench.psm1')) -Force

$workloads = $Namespaces * $WorkloadsPerNamespace
# Prints {"first": s, "total": s, "count": n}: when the first object arrived and when the last, from the command's start.
$command = @'
$clock = [Diagnostics.Stopwatch]::StartNew(); $first = $null; $count = 0
Get-DaprDeployment -Namespace * | ForEach-Object { if ($null -eq $first) { $first = $clock.Elapsed.TotalSeconds }; $count++ }
@{ first = $first; total = $clock.Elapsed.TotalSeconds; count = $count } | ConvertTo-Json -Compress
'@
$lab = Start-BenchLab -Namespaces $Namespaces -WorkloadsPerNamespace $WorkloadsPerNamespace -LatencyMs $LatencyMs
try {
    $samples = Measure-BenchRound -Lab $lab -Rounds $Rounds -Warmup 1 -Variant ([ordered]@{
        'module' = {
            $run = Invoke-BenchPwsh -Lab $lab -ImportModule -Command $command
            $summary = $run.LastLine | ConvertFrom-Json
            # Every app workload of the seed (the control plane's are not Dapr-enabled).
            if ($summary.count -ne $workloads) { throw "Get-DaprDeployment returned $($summary.count) workloads, not $workloads." }
            $run | Add-Member -NotePropertyMembers @{ First = $summary.first; Total = $summary.total } -PassThru
        }
        'kubectl' = { Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, 'deploy,statefulsets,daemonsets,pods', -A, -o, json }
    })
} finally {
    $lab | Stop-BenchLab
}
$size = "$Namespaces ns x $WorkloadsPerNamespace, $LatencyMs ms"
$module = $samples['module']
New-BenchRow "Reads ($size)" 'Get-DaprDeployment -Namespace *' $module 'kubectl get deploy,sts,ds,pods -A -o json' $samples['kubectl'] -Target 'not slower' -Met { param($r) $r.Ratio -le 1 }
New-BenchRow "Reads ($size), in process" 'first object' @(New-BenchDerivedSample $module { param($s) $s.Run.First }) 'whole command' @(New-BenchDerivedSample $module { param($s) $s.Run.Total }) -Target '<= 0.5 (first object before half the time)' -Met { param($r) $r.Ratio -le 0.5 }
