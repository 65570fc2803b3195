# Starts and stops the standalone test API server (tests/DaprSecurity.KubeApiServer) as a child process, and talks to
# its admin endpoint. Used by build.ps1 -Task Lab and by the Pester suite, so both run the same lab.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path

# This same PowerShell, for child shells: `dotnet pwsh` runs pwsh.dll under the dotnet host, an installed pwsh runs
# itself. Returns the executable, then its leading arguments.
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, [IO.Path]::Combine($PSHOME, 'pwsh.dll')) } else { @($process) }
}

function Get-DaprLabServerPath([string] $Configuration = 'Debug') {
    [IO.Path]::Combine($script:RepositoryRoot, 'tests', 'DaprSecurity.KubeApiServer', 'bin', $Configuration, 'net10.0', 'DaprSecurity.KubeApiServer.dll')
}

<#
.SYNOPSIS
    Starts the test API server with the lab seed (or other options) and returns where to reach it once it serves.
.DESCRIPTION
    The server is told to exit with this process (--exit-with), so it never outlives the session that started it, even
    when that session is killed. Stop it with Stop-DaprLab.
#>
function Start-DaprLab {
    [CmdletBinding()]
    param(
        [string[]] $ServerArgument = @('--lab'),
        [string] $Configuration = 'Debug',
        [int] $TimeoutSeconds = 60
    )
    $server = Get-DaprLabServerPath $Configuration
    if (-not (Test-Path $server)) { throw "The test API server is not built ($server); run ./build.ps1 first." }
    $directory = (New-Item -ItemType Directory -Path ([IO.Path]::Combine([IO.Path]::GetTempPath(), "dapr-lab-$([guid]::NewGuid().ToString('N').Substring(0, 8))"))).FullName
    $kubeconfig = [IO.Path]::Combine($directory, 'kubeconfig')
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($server, '--kubeconfig', $kubeconfig, '--exit-with', $PID) + $ServerArgument) { $start.ArgumentList.Add([string] $argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($start)
    $announced = @{}
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $read = $process.StandardOutput.ReadLineAsync()
        $remaining = [Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $read.Wait([TimeSpan]::FromMilliseconds($remaining)) -or $null -eq $read.Result) {
            $errors = if ($process.HasExited) { $process.StandardError.ReadToEnd() } else { $process.Kill(); "no 'Press Ctrl+C' line within $TimeoutSeconds s" }
            Remove-Item -Recurse -Force $directory
            throw "The lab server did not start: $errors"
        }
        if ($read.Result -like 'Press Ctrl+C*') { break }
        if ($read.Result -match '^(?<key>[^:]+): (?<value>.+)$') { $announced[$Matches.key] = $Matches.value }
    }
    $token = (Select-String -Path $kubeconfig -Pattern '^\s*token: (\S+)').Matches[0].Groups[1].Value
    [pscustomobject]@{
        PSTypeName = 'DaprLab'
        Process    = $process
        Id         = $process.Id
        Directory  = $directory
        KubeConfig = $kubeconfig
        AdminUrl   = $announced['admin endpoint']
        AdminToken = $token
    }
}

<#
.SYNOPSIS
    Stops a lab started by Start-DaprLab, by its process id (SIGTERM, then kill after a timeout), and deletes its files.
#>
function Stop-DaprLab {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Lab)
    process {
        $process = $Lab.Process
        if (-not $process.HasExited) {
            if ($IsWindows) { $process.Kill() } else { & kill -TERM $Lab.Id }
            if (-not $process.WaitForExit(15000)) { $process.Kill() }
        }
        $process.Dispose()
        Remove-Item -Recurse -Force $Lab.Directory -ErrorAction SilentlyContinue
    }
}

<#
.SYNOPSIS
    Calls the lab server's admin endpoint: GET/DELETE requests, PUT latency, POST/DELETE faults, POST users.
.EXAMPLE
    Invoke-DaprLabAdmin $lab POST faults @{ kind = 'TooManyRequests'; verb = 'patch'; resource = 'secrets'; times = 2 }
#>
function Invoke-DaprLabAdmin {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Lab,
        [Parameter(Mandatory)] [ValidateSet('GET', 'PUT', 'POST', 'DELETE')] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        [hashtable] $Body
    )
    $request = @{
        Method  = $Method
        Uri     = "$($Lab.AdminUrl)/$Path"
        Headers = @{ Authorization = "Bearer $($Lab.AdminToken)" }
    }
    if ($Body) { $request.Body = $Body | ConvertTo-Json -Depth 5; $request.ContentType = 'application/json' }
    Invoke-RestMethod @request
}

Export-ModuleMember -Function Start-DaprLab, Stop-DaprLab, Invoke-DaprLabAdmin, Get-PwshCommand
