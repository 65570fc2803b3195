<#
.SYNOPSIS
    The first cluster command in a fresh process (Import-Module, then Get-DaprNamespace) against a bare
    `pwsh -Command exit` and against `kubectl get ns`, each one whole process timed from start to exit.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [int] $Namespaces = 20,
    [int] $LatencyMs = 20,
    [int] $Rounds = $(if ($Quick) { 3 } else { 10 })
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, 'Bench.psm1')) -Force

$lab = Start-BenchLab -Namespaces $Namespaces -WorkloadsPerNamespace 1 -LatencyMs $LatencyMs
try {
    # One warm-up round: the first start of anything after a build reads cold files from disk.
    $samples = Measure-BenchRound -Lab $lab -Rounds $Rounds -Warmup 1 -Variant ([ordered]@{
        'module: Import-Module; Get-DaprNamespace' = { Invoke-BenchPwsh -Lab $lab -ImportModule -Command 'Get-DaprNamespace | Out-Null' }
        'pwsh -Command exit'                       = { Invoke-BenchPwsh -Lab $lab -Command 'exit' }
        'kubectl get ns'                           = { Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, ns }
    })
} finally {
    $lab | Stop-BenchLab
}
$module = $samples['module: Import-Module; Get-DaprNamespace']
New-BenchRow "Cold first command ($LatencyMs ms)" 'module' $module 'pwsh -Command exit' $samples['pwsh -Command exit'] -Target '<= +0.4 s over bare pwsh' -Met { param($r) $r.Difference -le 0.4 }
New-BenchRow "Cold first command ($LatencyMs ms)" 'module' $module 'kubectl get ns' $samples['kubectl get ns']
