<#
.SYNOPSIS
    The cluster audit: Test-DaprSecurity over every namespace in a fresh pwsh against kubectl get of the kinds it reads
    (workloads, pods, services, ingresses, secrets, components, configurations) as JSON, with the requests of each;
    and when the audit's first result comes out, against its whole command in the same process.
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

$command = @'
$clock = [Diagnostics.Stopwatch]::StartNew(); $first = $null; $count = 0
Test-DaprSecurity | ForEach-Object { if ($null -eq $first) { $first = $clock.Elapsed.TotalSeconds }; $count++ }
@{ first = $first; total = $clock.Elapsed.TotalSeconds; count = $count } | ConvertTo-Json -Compress
'@
$kinds = 'deploy,statefulsets,daemonsets,pods,services,ingresses,secrets,components,configurations'
$lab = Start-BenchLab -Namespaces $Namespaces -WorkloadsPerNamespace $WorkloadsPerNamespace -LatencyMs $LatencyMs
try {
    $samples = Measure-BenchRound -Lab $lab -Rounds $Rounds -Warmup 1 -Variant ([ordered]@{
        'module' = {
            $run = Invoke-BenchPwsh -Lab $lab -ImportModule -Command $command
            $summary = $run.LastLine | ConvertFrom-Json
            if ($summary.count -eq 0) { throw 'Test-DaprSecurity returned no result.' }
            $run | Add-Member -NotePropertyMembers @{ First = $summary.first; Total = $summary.total } -PassThru
        }
        'kubectl' = { Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, $kinds, -A, -o, json }
    })
} finally {
    $lab | Stop-BenchLab
}
$size = "$Namespaces ns x $WorkloadsPerNamespace x 2 components, $LatencyMs ms"
$module = $samples['module']
New-BenchRow "Audit ($size)" 'Test-DaprSecurity' $module "kubectl get $kinds -A -o json" $samples['kubectl'] -Target 'not slower' -Met { param($r) $r.Ratio -le 1 }
New-BenchRow "Audit ($size), in process" 'first result' @(New-BenchDerivedSample $module { param($s) $s.Run.First }) 'whole command' @(New-BenchDerivedSample $module { param($s) $s.Run.Total }) -Target 'first result before every list is read (< 0.5)' -Met { param($r) $r.Ratio -lt 0.5 }
