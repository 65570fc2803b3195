# Shared helpers of the benchmark suite (bench/*.ps1): a seeded test API server, child processes timed from start to
# exit, variants run in alternating rounds, and the comparison table. Not part of the test run; see README "Benchmarks".

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
# Start-DaprLab, Stop-DaprLab, Invoke-DaprLabAdmin and Get-PwshCommand (this same PowerShell, for child shells).
Import-Module ([IO.Path]::Combine($script:RepositoryRoot, 'tests', 'DaprSecurity.Pester', 'DaprLab.psm1')) -Force

function Get-BenchModulePath {
    $manifest = [IO.Path]::Combine($script:RepositoryRoot, 'out', 'DaprSecurity', 'DaprSecurity.psd1')
    if (-not (Test-Path $manifest)) { throw "The module is not built ($manifest); run 'dotnet build' first." }
    $manifest
}

# A single-quoted PowerShell literal of $Text, for commands given to a child pwsh.
function ConvertTo-BenchLiteral([string] $Text) { "'" + ($Text -replace "'", "''") + "'" }

<#
.SYNOPSIS
    The median of a list of numbers (the mean of the middle two for an even count).
#>
function Get-BenchMedian {
    param([Parameter(Mandatory)] [double[]] $Value)
    $sorted = [double[]] ($Value | Sort-Object)
    $middle = [Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

<#
.SYNOPSIS
    Manifests of app namespaces as a team runs them: per namespace an app-api-token Secret, N Dapr Deployments that name
    it (loopback listen address, API logging on) and a scoped statestore and an unscoped pubsub Component. One object
    per document, with its YAML, so the same data seeds the server and fills manifest folders.
#>
function New-BenchManifest {
    param(
        [Parameter(Mandatory)] [string[]] $Namespace,
        [int] $WorkloadsPerNamespace = 5
    )
    foreach ($ns in $Namespace) {
        $apps = @(1..$WorkloadsPerNamespace | ForEach-Object { 'app{0}' -f $_ })
        [pscustomobject]@{ Namespace = $ns; Kind = 'Namespace'; Name = $ns; Yaml = "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: $ns`n" }
        [pscustomobject]@{ Namespace = $ns; Kind = 'Secret'; Name = 'app-api-token'; Yaml = @"
apiVersion: v1
kind: Secret
metadata:
  name: app-api-token
  namespace: $ns
type: Opaque
stringData:
  token: seed-$ns
"@ }
        foreach ($app in $apps) {
            [pscustomobject]@{ Namespace = $ns; Kind = 'Deployment'; Name = $app; Yaml = @"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $app
  namespace: $ns
  labels: {app: $app}
spec:
  replicas: 1
  selector:
    matchLabels: {app: $app}
  template:
    metadata:
      labels: {app: $app}
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: $app
        dapr.io/app-port: "8080"
        dapr.io/app-token-secret: app-api-token
        dapr.io/sidecar-listen-addresses: 127.0.0.1
        dapr.io/enable-api-logging: "true"
    spec:
      containers:
      - name: $app
        image: ghcr.io/example/${app}:1.0.0
        ports: [{containerPort: 8080}]
"@ }
        }
        [pscustomobject]@{ Namespace = $ns; Kind = 'Component'; Name = 'statestore'; Yaml = @"
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
  namespace: $ns
spec:
  type: state.redis
  version: v1
  metadata:
  - name: redisHost
    value: redis-master.${ns}.svc.cluster.local:6379
  - name: redisPassword
    secretKeyRef: {name: redis, key: redis-password}
scopes: [$($apps -join ', ')]
"@ }
        [pscustomobject]@{ Namespace = $ns; Kind = 'Component'; Name = 'pubsub'; Yaml = @"
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: pubsub
  namespace: $ns
spec:
  type: pubsub.redis
  version: v1
  metadata:
  - name: redisHost
    value: redis-master.${ns}.svc.cluster.local:6379
"@ }
    }
}

# app-0001 ... app-N, the namespaces every scenario seeds.
function Get-BenchNamespaceName([int] $Count) { 1..$Count | ForEach-Object { 'app-{0:D4}' -f $_ } }

<#
.SYNOPSIS
    Starts the test API server with the Dapr control plane and N app namespaces of W workloads (New-BenchManifest),
    the given latency per request and controller delay. Returns the lab (Start-DaprLab) with Environment: the variables
    a child process needs to reach it (KUBECONFIG, and a kubectl cache of its own, warmed once).
#>
function Start-BenchLab {
    param(
        [Parameter(Mandatory)] [int] $Namespaces,
        [int] $WorkloadsPerNamespace = 5,
        [int] $LatencyMs = 20,
        [int] $ControllerDelayMs = 50,
        [string] $Configuration = 'Debug'
    )
    $directory = (New-Item -ItemType Directory -Path ([IO.Path]::Combine([IO.Path]::GetTempPath(), "dapr-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"))).FullName
    $seed = [IO.Path]::Combine($directory, 'seed.yaml')
    $documents = New-BenchManifest -Namespace (Get-BenchNamespaceName $Namespaces) -WorkloadsPerNamespace $WorkloadsPerNamespace
    [IO.File]::WriteAllText($seed, (($documents | ForEach-Object { "---`n" + $_.Yaml }) -join "`n"))
    # The control plane of the xunit seed alone (no app namespaces of its own); the bench's come from the seed file.
    try {
        $lab = Start-DaprLab -Configuration $Configuration -TimeoutSeconds 600 -ServerArgument @(
            '--dapr', '--app-namespaces', '0', '--seed', $seed,
            '--latency-ms', $LatencyMs, '--controller-delay-ms', $ControllerDelayMs)
    } catch {
        Remove-Item -Recurse -Force $directory
        throw
    }
    $environment = @{ KUBECONFIG = $lab.KubeConfig; KUBECACHEDIR = [IO.Path]::Combine($directory, 'kubectl-cache') }
    $lab | Add-Member -NotePropertyMembers @{ BenchDirectory = $directory; Environment = $environment; LatencyMs = $LatencyMs }
    $null = Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, ns
    $lab
}

function Stop-BenchLab {
    param([Parameter(Mandatory, ValueFromPipeline)] $Lab)
    process {
        $Lab | Stop-DaprLab
        Remove-Item -Recurse -Force $Lab.BenchDirectory -ErrorAction SilentlyContinue
    }
}

<#
.SYNOPSIS
    Runs a process to its end and returns its wall time from start to exit (Seconds), its stdout's last line (for a
    JSON summary) and its byte count. Output is drained, never parsed. A non-zero exit is an error with stderr.
#>
function Invoke-BenchProcess {
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        $Lab
    )
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    if ($Lab) { foreach ($variable in $Lab.Environment.GetEnumerator()) { $start.Environment[$variable.Key] = $variable.Value } }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($start)
    try {
        # Read by .NET, not line by line here, so a big output does not slow the process down through its pipe.
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEndAsync()
        $process.WaitForExit()
        $seconds = $clock.Elapsed.TotalSeconds
        if ($process.ExitCode -ne 0) { throw "$FilePath $($ArgumentList -join ' ') exited with $($process.ExitCode): $($errors.Result)" }
        $text = $output.Result.TrimEnd()
        [pscustomobject]@{ Seconds = $seconds; LastLine = $text.Substring($text.LastIndexOf("`n") + 1); OutputBytes = $output.Result.Length }
    } finally {
        $process.Dispose()
    }
}

<#
.SYNOPSIS
    Runs a command in a fresh pwsh (-NoProfile -NonInteractive -Command), as a user's script step would, timed as a
    whole process. With -ImportModule the built module is imported first; errors stop the command and fail the run.
#>
function Invoke-BenchPwsh {
    param(
        [Parameter(Mandatory)] [string] $Command,
        [switch] $ImportModule,
        $Lab
    )
    $pwsh = @(Get-PwshCommand)
    $prefix = if ($ImportModule) { "`$ErrorActionPreference = 'Stop'; Import-Module $(ConvertTo-BenchLiteral (Get-BenchModulePath)); " } else { '' }
    Invoke-BenchProcess -Lab $Lab -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', ($prefix + $Command)))
}

<#
.SYNOPSIS
    Runs a module command in a fresh pwsh (Invoke-BenchPwsh -ImportModule) and adds to the run when its first object
    came out (First), when its last did (Total), both in seconds from the command's start in that process, and how many
    objects it wrote (Count).
#>
function Invoke-BenchStreaming {
    param([Parameter(Mandatory)] [string] $Command, $Lab)
    $run = Invoke-BenchPwsh -Lab $Lab -ImportModule -Command @"
`$clock = [Diagnostics.Stopwatch]::StartNew(); `$first = `$null; `$count = 0
$Command | ForEach-Object { if (`$null -eq `$first) { `$first = `$clock.Elapsed.TotalSeconds }; `$count++ }
@{ first = `$first; total = `$clock.Elapsed.TotalSeconds; count = `$count } | ConvertTo-Json -Compress
"@
    $summary = $run.LastLine | ConvertFrom-Json
    $run | Add-Member -NotePropertyMembers @{ First = $summary.first; Total = $summary.total; Count = $summary.count } -PassThru
}

<#
.SYNOPSIS
    Runs every variant once per round, in the given order, for -Rounds rounds (A B A B ... for two variants), after
    -Warmup unmeasured rounds. Each variant is a script block returning the result of Invoke-BenchProcess (or any
    object with Seconds). With a lab, the server's request counter is reset before each run and read after it.
    Returns, per variant name, the list of samples (Seconds, Requests, and the variant's own result as Run).
#>
function Measure-BenchRound {
    param(
        [Parameter(Mandatory)] [Collections.Specialized.OrderedDictionary] $Variant,
        [int] $Rounds = 5,
        [int] $Warmup = 0,
        $Lab
    )
    $samples = [ordered]@{}
    foreach ($name in $Variant.Keys) { $samples[$name] = [Collections.Generic.List[object]]::new() }
    for ($round = 1 - $Warmup; $round -le $Rounds; $round++) {
        foreach ($name in $Variant.Keys) {
            Write-Progress -Activity 'Benchmark' -Status "$name, round $([Math]::Max($round, 0)) of $Rounds$(if ($round -le 0) { ' (warm-up)' })"
            if ($Lab) { $null = Invoke-DaprLabAdmin $Lab DELETE requests }
            $run = & $Variant[$name]
            $requests = if ($Lab) { (Invoke-DaprLabAdmin $Lab GET requests).total } else { $null }
            if ($round -ge 1) { $samples[$name].Add([pscustomobject]@{ Seconds = [double] $run.Seconds; Requests = $requests; Run = $run }) }
        }
    }
    Write-Progress -Activity 'Benchmark' -Completed
    $samples
}

<#
.SYNOPSIS
    One row of the results table: A against B from the same rounds. Ratio is the median of the pairwise ratios A/B (so
    below 1 means A is faster), Difference the median of the pairwise differences A - B in seconds. -Met receives the
    row and says whether the target holds. -Unit MB/s compares rates (-Bytes / seconds) instead of times; -Unit MB
    compares sizes (each sample's Megabytes, such as a peak working set).
#>
function New-BenchRow {
    param(
        [Parameter(Mandatory)] [string] $Scenario,
        [Parameter(Mandatory)] [string] $A,
        [Parameter(Mandatory)] [object[]] $ASample,
        [Parameter(Mandatory)] [string] $B,
        [Parameter(Mandatory)] [object[]] $BSample,
        [string] $Target = '',
        [scriptblock] $Met,
        [ValidateSet('s', 'MB/s', 'MB')] [string] $Unit = 's',
        [long] $Bytes
    )
    if ($ASample.Count -ne $BSample.Count -or $ASample.Count -eq 0) { throw "$Scenario`: $($ASample.Count) samples of $A against $($BSample.Count) of $B; pairs need equal, non-zero counts." }
    $measure = switch ($Unit) {
        'MB/s' { { param($sample) $Bytes / 1MB / $sample.Seconds } }
        'MB' { { param($sample) $sample.Megabytes } }
        default { { param($sample) $sample.Seconds } }
    }
    $aValues = [double[]] @($ASample | ForEach-Object { & $measure $_ })
    $bValues = [double[]] @($BSample | ForEach-Object { & $measure $_ })
    $pairs = 0..($ASample.Count - 1)
    $row = [pscustomobject]@{
        PSTypeName = 'DaprBenchRow'
        Scenario   = $Scenario
        A          = $A
        B          = $B
        Unit       = $Unit
        AMedian    = Get-BenchMedian $aValues
        BMedian    = Get-BenchMedian $bValues
        Ratio      = Get-BenchMedian ([double[]] @($pairs | ForEach-Object { $aValues[$_] / $bValues[$_] }))
        Difference = Get-BenchMedian ([double[]] @($pairs | ForEach-Object { $aValues[$_] - $bValues[$_] }))
        ARequests  = if ($null -ne $ASample[0].Requests) { Get-BenchMedian ([double[]] @($ASample.Requests)) }
        BRequests  = if ($null -ne $BSample[0].Requests) { Get-BenchMedian ([double[]] @($BSample.Requests)) }
        Pairs      = $ASample.Count
        Target     = $Target
        Met        = $null
    }
    if ($Met) { $row.Met = [bool] (& $Met $row) }
    $row
}

<#
.SYNOPSIS
    Samples that stand for a bound computed from each of A's runs (a request floor, the in-process part of a run), to
    compare A with as B.
#>
function New-BenchDerivedSample {
    param([Parameter(Mandatory)] [object[]] $Sample, [Parameter(Mandatory)] [scriptblock] $Seconds)
    foreach ($s in $Sample) { [pscustomobject]@{ Seconds = [double] (& $Seconds $s); Requests = $null; Run = $s.Run } }
}

<#
.SYNOPSIS
    The rows as a table: on the host by default, or as the Markdown table the README keeps (-Markdown).
#>
function Format-BenchTable {
    param([Parameter(Mandatory, ValueFromPipeline)] [object[]] $Row, [switch] $Markdown)
    begin { $rows = [Collections.Generic.List[object]]::new() }
    process { $rows.AddRange($Row) }
    end {
        $view = foreach ($r in $rows) {
            $format = switch ($r.Unit) { 'MB/s' { '{0:N1} MB/s' } 'MB' { '{0:N1} MB' } default { '{0:N2} s' } }
            [pscustomobject]@{
                Scenario = $r.Scenario
                A        = $r.A
                B        = $r.B
                'A median' = $format -f $r.AMedian
                'B median' = $format -f $r.BMedian
                'A/B'      = '{0:N3}' -f $r.Ratio
                'A-B'      = switch ($r.Unit) { 's' { '{0:+0.00;-0.00} s' -f $r.Difference } 'MB' { '{0:+0.0;-0.0} MB' -f $r.Difference } default { '' } }
                Requests   = (@($r.ARequests, $r.BRequests) | ForEach-Object { if ($null -ne $_) { '{0:N0}' -f $_ } else { '-' } }) -join ' / '
                Target     = $r.Target
                Met        = if ($null -eq $r.Met) { '' } elseif ($r.Met) { 'yes' } else { 'NO' }
            }
        }
        if (-not $Markdown) { return ($view | Format-Table -AutoSize | Out-String -Width 400).TrimEnd() }
        $columns = @($view[0].PSObject.Properties.Name)
        '| ' + ($columns -join ' | ') + ' |'
        '|' + (($columns | ForEach-Object { '---' }) -join '|') + '|'
        foreach ($v in $view) { '| ' + (($columns | ForEach-Object { ([string] $v.$_) -replace '\|', '\|' }) -join ' | ') + ' |' }
    }
}

Export-ModuleMember -Function Get-BenchModulePath, ConvertTo-BenchLiteral, Get-BenchMedian, New-BenchManifest, Get-BenchNamespaceName,
    Start-BenchLab, Stop-BenchLab, Invoke-BenchProcess, Invoke-BenchPwsh, Invoke-BenchStreaming, Measure-BenchRound, New-BenchRow, New-BenchDerivedSample,
    Format-BenchTable
