<#
.SYNOPSIS
    Flat memory of streamed reads: the peak working set of Get-DaprDeployment -Namespace * | Out-Null and of
    Get-DaprAccessMatrix | Out-Null, each in a fresh pwsh, at two sizes (by default 200 and 2,000 namespaces of 5 Dapr
    workloads and 2 components: 1,000 and 10,000 workloads, 2,000 and 20,000 matrix rows). What each run grows over the
    same command reading one namespace (the module, its client and the pipeline) should barely grow with the cluster:
    the large size's growth well below the small one's times the size ratio (proportional).
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [int] $Small = $(if ($Quick) { 20 } else { 200 }),
    [int] $Large = $(if ($Quick) { 200 } else { 2000 }),
    [int] $WorkloadsPerNamespace = 5,
    [int] $LatencyMs = 5,
    [int] $Rounds = 3
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, 'Bench.psm1')) -Force

# The command, then the process's peak working set and the GC heap after a full collection (what is still held), in MB.
function Measure-Peak($Lab, [string] $Command, [int] $Expected) {
    $run = Invoke-BenchPwsh -Lab $Lab -ImportModule -Command @"
`$count = 0; $Command | ForEach-Object { `$count++ }
`$process = [Diagnostics.Process]::GetCurrentProcess(); `$process.Refresh(); [GC]::Collect()
@{ peak = `$process.PeakWorkingSet64 / 1MB; heap = [GC]::GetGCMemoryInfo().HeapSizeBytes / 1MB; count = `$count } | ConvertTo-Json -Compress
"@
    $summary = $run.LastLine | ConvertFrom-Json
    if ($Expected -ge 0 -and $summary.count -ne $Expected) { throw "$Command wrote $($summary.count) objects, not $Expected." }
    [pscustomobject]@{ Seconds = $run.Seconds; Megabytes = [double] $summary.peak; Heap = [double] $summary.heap; Count = $summary.count }
}

$sizes = [ordered]@{}
foreach ($namespaces in $Small, $Large) {
    $workloads = $namespaces * $WorkloadsPerNamespace
    $lab = Start-BenchLab -Namespaces $namespaces -WorkloadsPerNamespace $WorkloadsPerNamespace -LatencyMs $LatencyMs
    try {
        $sizes["$namespaces"] = Measure-BenchRound -Lab $lab -Rounds $Rounds -Warmup 1 -Variant ([ordered]@{
            'one namespace' = { Measure-Peak $lab 'Get-DaprDeployment -Namespace app-0001' $WorkloadsPerNamespace }
            'deployments' = { Measure-Peak $lab 'Get-DaprDeployment -Namespace *' $workloads }
            'matrix' = { Measure-Peak $lab 'Get-DaprAccessMatrix' ($workloads * 2) }
        })
    } finally {
        $lab | Stop-BenchLab
    }
}

# Each run's growth over the same round's one-namespace run.
function Get-Growth([string] $Variant, [int] $Namespaces) {
    $samples = $sizes["$Namespaces"]
    for ($i = 0; $i -lt $samples[$Variant].Count; $i++) {
        $run = $samples[$Variant][$i]
        [pscustomobject]@{ Seconds = $run.Seconds; Megabytes = $run.Run.Megabytes - $samples['one namespace'][$i].Run.Megabytes; Requests = $run.Requests; Run = $run.Run }
    }
}

$proportional = ($Large - 1) / ($Small - 1)
$bound = [Math]::Round($proportional / 3, 1)
foreach ($variant in @(
        @{ Key = 'deployments'; Command = 'Get-DaprDeployment -Namespace *'; Objects = $WorkloadsPerNamespace }
        @{ Key = 'matrix'; Command = 'Get-DaprAccessMatrix'; Objects = $WorkloadsPerNamespace * 2 })) {
    $a = "$Large ns ($('{0:N0}' -f ($Large * $variant.Objects)) objects)"
    $b = "$Small ns ($('{0:N0}' -f ($Small * $variant.Objects)))"
    $peak = { param($s) foreach ($x in $s) { [pscustomobject]@{ Seconds = $x.Seconds; Megabytes = $x.Run.Megabytes; Requests = $x.Requests; Run = $x.Run } } }
    New-BenchRow "Memory: $($variant.Command) | Out-Null, peak working set" $a @(& $peak $sizes["$Large"][$variant.Key]) $b @(& $peak $sizes["$Small"][$variant.Key]) -Unit MB -Target 'side by side'
    New-BenchRow "Memory: $($variant.Command), peak growth over one namespace" $a @(Get-Growth $variant.Key $Large) $b @(Get-Growth $variant.Key $Small) -Unit MB `
        -Target "flat: the $('{0:N0}' -f ($Large * $variant.Objects))-object run's growth over the small one well below proportional (x$([Math]::Round($proportional, 1))): <= x$bound" `
        -Met { param($r) $r.Ratio -le $bound }
    $heap = { param($s) foreach ($x in $s) { [pscustomobject]@{ Seconds = $x.Seconds; Megabytes = $x.Run.Heap; Requests = $x.Requests; Run = $x.Run } } }
    New-BenchRow "Memory: $($variant.Command), GC heap held at the end" $a @(& $heap $sizes["$Large"][$variant.Key]) $b @(& $heap $sizes["$Small"][$variant.Key]) -Unit MB -Target 'side by side'
}
