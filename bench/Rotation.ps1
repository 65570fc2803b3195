<#
.SYNOPSIS
    Token rotation over every app namespace: the module's pipeline without and with -Wait against the docs' sequential
    kubectl loop and a parallel kubectl script (8 at a time, with kubectl rollout status for the -Wait variant).
.DESCRIPTION
    Every run rotates to a new token, so each one writes every secret and restarts every workload. Each variant is one
    fresh process, timed from start to exit; the server counts the requests of each run. Returns the table rows.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [int] $Namespaces = $(if ($Quick) { 3 } else { 200 }),
    [int] $WorkloadsPerNamespace = $(if ($Quick) { 2 } else { 5 }),
    [int] $LatencyMs = 20,
    [int] $ControllerDelayMs = 50,
    # Three by default at full size: one round takes about five minutes, most of it the sequential loop.
    [int] $Rounds = 3,
    # Leaves out the docs' sequential kubectl loop (and its 50x row): a round at full size then takes about a minute.
    [switch] $SkipSequential,
    # Only the -Wait variants and their rows (the module -Wait, the parallel script with rollout status, the wave floor).
    [switch] $WaitOnly
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, 'Bench.psm1')) -Force

$workloads = $Namespaces * $WorkloadsPerNamespace
# The module's pipeline, in one fresh pwsh; it prints how many workloads reached the expected status.
function Invoke-ModuleRotation([string] $Wait, [string] $Status) {
    $run = Invoke-BenchPwsh -Lab $lab -ImportModule -Command "New-DaprAppToken | Set-DaprTokenSecret -Namespace app-* -PassThru | Restart-DaprDeployment $Wait | Where-Object Status -eq $Status | Measure-Object | ForEach-Object Count"
    if ([int] $run.LastLine -ne $workloads) { throw "Rotation $Wait left $($workloads - [int] $run.LastLine) of $workloads workloads not $Status." }
    $run
}
# The kubectl peers, as a user would script them in pwsh: a fresh token, then per namespace the docs' two steps.
$kubectlSteps = {
    # apply warns on stderr when the seeded secret lacks its last-applied annotation; in -Parallel that warning became an
    # error record and failed the run. A real failure still stops it: its exit code throws.
    kubectl create secret generic app-api-token -n $ns "--from-literal=token=$token" --dry-run=client -o yaml | kubectl apply -f - 2>$null | Out-Null
    kubectl rollout restart deploy -n $ns | Out-Null
}
function Invoke-KubectlRotation([switch] $Parallel, [switch] $Wait) {
    $steps = "$kubectlSteps$(if ($Wait) { "`n    kubectl rollout status deploy -n `$ns --timeout=300s | Out-Null" })"
    $loop = if ($Parallel) {
        "`$names | ForEach-Object -ThrottleLimit 8 -Parallel { `$PSNativeCommandUseErrorActionPreference = `$true; `$ns = `$_; `$token = `$using:token; $steps }"
    } else {
        "foreach (`$ns in `$names) { $steps }"
    }
    Invoke-BenchPwsh -Lab $lab -Command @"
`$ErrorActionPreference = 'Stop'; `$PSNativeCommandUseErrorActionPreference = `$true
`$token = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
`$names = @(kubectl get ns -o name) -replace '^namespace/' -like 'app-*'
$loop
"@
}

# Waves of -Wait by default: a canary, then 1, 5% and 25% of the namespaces (rounded up), then the rest.
$waveSizes = @(1, 1, [Math]::Ceiling($Namespaces * 0.05), [Math]::Ceiling($Namespaces * 0.25))
$left = $Namespaces
$waveWorkloads = foreach ($size in $waveSizes + $Namespaces) {
    if ($left -gt 0) { [Math]::Min($size, $left) * $WorkloadsPerNamespace; $left -= $size }
}
$waves = @($waveWorkloads).Count
# -Wait's floor given the waves: each wave lasts as long as its slowest rollout, and a rollout (its restart, one request,
# then the controller delay before its status can say it is complete) holds one of the -ThrottleLimit (default 16) slots
# while it runs, so a wave of n rollouts lasts at least ceil(n / 16) x (latency + controller delay). On top of that come
# the run's other requests (secret reads and writes, lists) at 16 at a time; the watches are open while the rollouts
# run and cost no time of their own. (This floor once counted every request at 16 at a time plus one controller delay
# per wave, as though all of a wave's rollouts were in flight at once; the issue bounds them by -ThrottleLimit.)
$rolloutRounds = ($waveWorkloads | ForEach-Object { [Math]::Ceiling($_ / 16) } | Measure-Object -Sum).Sum

$lab = Start-BenchLab -Namespaces $Namespaces -WorkloadsPerNamespace $WorkloadsPerNamespace -LatencyMs $LatencyMs -ControllerDelayMs $ControllerDelayMs
try {
    $variants = [ordered]@{
        'module'                  = { Invoke-ModuleRotation '' Restarted }
        'kubectl sequential loop' = { Invoke-KubectlRotation }
        'kubectl parallel (8)'    = { Invoke-KubectlRotation -Parallel }
        'module -Wait'            = { Invoke-ModuleRotation '-Wait' RolledOut }
        'kubectl parallel (8) + rollout status' = { Invoke-KubectlRotation -Parallel -Wait }
    }
    if ($SkipSequential -or $WaitOnly) { $variants.Remove('kubectl sequential loop') }
    if ($WaitOnly) { $variants.Remove('module'); $variants.Remove('kubectl parallel (8)') }
    $samples = Measure-BenchRound -Lab $lab -Rounds $Rounds -Variant $variants
} finally {
    $lab | Stop-BenchLab
}

$size = "$Namespaces ns x $WorkloadsPerNamespace, $LatencyMs ms"
$latency = $LatencyMs / 1000
# Requests other than the rollouts' own: one restart per workload and one watch per namespace.
$waveFloor = New-BenchDerivedSample $samples['module -Wait'] { param($s) ($s.Requests - $workloads - $Namespaces) * $latency / 16 + $rolloutRounds * ($latency + $ControllerDelayMs / 1000) }
# For comparison, the floor read without -ThrottleLimit: every rollout of a wave in flight at once, so each wave costs
# one rollout. No target: the issue bounds a wave's rollouts by -ThrottleLimit.
$unboundedFloor = New-BenchDerivedSample $samples['module -Wait'] { param($s) ($s.Requests - $workloads - $Namespaces) * $latency / 16 + $waves * ($latency + $ControllerDelayMs / 1000) }
if (-not $WaitOnly) {
    $floor = New-BenchDerivedSample $samples['module'] { param($s) $s.Requests * $latency / 8 }
    if (-not $SkipSequential) {
        New-BenchRow "Rotation, no -Wait ($size)" 'module' $samples['module'] 'kubectl sequential loop' $samples['kubectl sequential loop'] -Target '>= 50x faster' -Met { param($r) $r.Ratio -le 1 / 50 }
    }
    New-BenchRow "Rotation, no -Wait ($size)" 'module' $samples['module'] 'kubectl parallel (8)' $samples['kubectl parallel (8)'] -Target '>= 5x faster' -Met { param($r) $r.Ratio -le 1 / 5 }
    New-BenchRow "Rotation, no -Wait ($size)" 'module' $samples['module'] 'request floor (requests x latency / 8)' @($floor) -Target '<= 1.5x floor' -Met { param($r) $r.Ratio -le 1.5 }
}
New-BenchRow "Rotation, -Wait ($size)" 'module -Wait' $samples['module -Wait'] 'kubectl parallel (8) + rollout status' $samples['kubectl parallel (8) + rollout status'] -Target 'faster' -Met { param($r) $r.Ratio -lt 1 }
New-BenchRow "Rotation, -Wait ($size)" 'module -Wait' $samples['module -Wait'] "wave floor (other requests x latency / 16 + $rolloutRounds rollout rounds of 16 in $waves waves x (latency + controller delay))" @($waveFloor) -Target '<= 2x floor' -Met { param($r) $r.Ratio -le 2 }
New-BenchRow "Rotation, -Wait ($size)" 'module -Wait' $samples['module -Wait'] "wave floor without -ThrottleLimit ($waves waves x one rollout)" @($unboundedFloor)
