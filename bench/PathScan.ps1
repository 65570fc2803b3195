<#
.SYNOPSIS
    -Path scans of a folder of manifest files: Test-DaprSecurity -Path and Get-DaprComponentScope -Path against a raw
    [IO.File]::ReadAllText loop over the same files, in one warm pwsh (MB/s, after one warm-up scan of each), and as
    whole processes against a pwsh that only reads the files.
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [int] $Files = $(if ($Quick) { 200 } else { 5000 }),
    [int] $Rounds = $(if ($Quick) { 3 } else { 5 })
)
$ErrorActionPreference = 'Stop'
Import-Module ([IO.Path]::Combine($PSScriptRoot, 'Bench.psm1')) -Force

# The seed's documents without the Namespaces, one a file, in a folder per namespace.
$folder = (New-Item -ItemType Directory -Path ([IO.Path]::Combine([IO.Path]::GetTempPath(), "dapr-bench-files-$([guid]::NewGuid().ToString('N').Substring(0, 8))"))).FullName
try {
    $documents = New-BenchManifest -Namespace (Get-BenchNamespaceName ([Math]::Ceiling($Files / 8))) | Where-Object Kind -ne Namespace | Select-Object -First $Files
    foreach ($document in $documents) {
        $directory = [IO.Directory]::CreateDirectory([IO.Path]::Combine($folder, $document.Namespace)).FullName
        [IO.File]::WriteAllText([IO.Path]::Combine($directory, "$($document.Kind.ToLowerInvariant())-$($document.Name).yaml"), $document.Yaml)
    }
    $bytes = (Get-ChildItem -Recurse -File $folder | Measure-Object Length -Sum).Sum
    $literal = ConvertTo-BenchLiteral $folder
    $readAll = "foreach (`$file in [IO.Directory]::EnumerateFiles($literal, '*.yaml', 'AllDirectories')) { `$null = [IO.File]::ReadAllText(`$file) }"
    $scans = [ordered]@{
        audit = "Test-DaprSecurity -Path $literal | Out-Null"
        scope = "Get-DaprComponentScope -Path $literal -WarningAction SilentlyContinue | Out-Null"
        raw   = $readAll
    }

    # In one warm process: a warm-up of each, then rounds of all three; prints the seconds of each as JSON.
    $inProcess = @"
`$scans = [ordered]@{ $(($scans.GetEnumerator() | ForEach-Object { "$($_.Key) = { $($_.Value) }" }) -join '; ') }
`$seconds = [ordered]@{}
foreach (`$name in `$scans.Keys) { & `$scans[`$name]; `$seconds[`$name] = [Collections.Generic.List[double]]::new() }
for (`$round = 0; `$round -lt $Rounds; `$round++) { foreach (`$name in `$scans.Keys) { `$seconds[`$name].Add((Measure-Command `$scans[`$name]).TotalSeconds) } }
`$seconds | ConvertTo-Json -Compress
"@
    $warm = (Invoke-BenchPwsh -ImportModule -Command $inProcess).LastLine | ConvertFrom-Json
    $inProcessSamples = @{}
    foreach ($name in $scans.Keys) { $inProcessSamples[$name] = @($warm.$name | ForEach-Object { [pscustomobject]@{ Seconds = $_; Requests = $null } }) }

    $whole = Measure-BenchRound -Rounds $Rounds -Warmup 1 -Variant ([ordered]@{
        audit = { Invoke-BenchPwsh -ImportModule -Command $scans.audit }
        scope = { Invoke-BenchPwsh -ImportModule -Command $scans.scope }
        raw   = { Invoke-BenchPwsh -Command $readAll }
    })
} finally {
    Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
}

$size = '{0:N0} files, {1:N1} MB' -f $Files, ($bytes / 1MB)
$rate = { param($r) $r.AMedian -ge 20 -and $r.Ratio -ge 0.5 }
New-BenchRow "-Path scan ($size), warm process" 'Test-DaprSecurity -Path' $inProcessSamples.audit 'ReadAllText loop' $inProcessSamples.raw -Unit MB/s -Bytes $bytes -Target '>= 20 MB/s and >= 0.5x raw' -Met $rate
New-BenchRow "-Path scan ($size), warm process" 'Get-DaprComponentScope -Path' $inProcessSamples.scope 'ReadAllText loop' $inProcessSamples.raw -Unit MB/s -Bytes $bytes -Target '>= 20 MB/s and >= 0.5x raw' -Met $rate
New-BenchRow "-Path scan ($size), whole process" 'Test-DaprSecurity -Path' $whole.audit 'pwsh reading the files' $whole.raw -Target '<= 1.5x' -Met { param($r) $r.Ratio -le 1.5 }
New-BenchRow "-Path scan ($size), whole process" 'Get-DaprComponentScope -Path' $whole.scope 'pwsh reading the files' $whole.raw -Target '<= 1.5x' -Met { param($r) $r.Ratio -le 1.5 }
