<#
.SYNOPSIS
    Runs the benchmark scenarios (bench/<Scenario>.ps1) and prints one table: each comparison's medians, the median of
    the pairwise ratios, the requests the test API server counted, the target and whether it is met.
.PARAMETER Scenario
    Which scenarios to run; all by default.
.PARAMETER Quick
    Small sizes and 3 rounds: a smoke test of the suite, not figures to quote.
.PARAMETER Markdown
    Print the table as Markdown (as the README keeps it) instead of for the console.
.EXAMPLE
    dotnet pwsh bench/Invoke-Benchmarks.ps1 -Quick
.EXAMPLE
    dotnet pwsh bench/Invoke-Benchmarks.ps1 -Scenario Reads, Audit -Markdown
#>
[CmdletBinding()]
param(
    [ValidateSet('ColdStart', 'Reads', 'Memory', 'PathScan', 'Audit', 'Rotation')]
    [string[]] $Scenario = @('ColdStart', 'Reads', 'Memory', 'PathScan', 'Audit', 'Rotation'),
    [switch] $Quick,
    [switch] $Markdown
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, 'Bench.psm1')) -Force
$null = Get-BenchModulePath
$rows = foreach ($name in $Scenario) {
    Write-Host "Running $name$(if ($Quick) { ' (quick)' })..."
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & ([IO.Path]::Combine($PSScriptRoot, "$name.ps1")) -Quick:$Quick
    Write-Host ('{0} took {1:N0} s.' -f $name, $clock.Elapsed.TotalSeconds)
}
$rows | Format-BenchTable -Markdown:$Markdown
