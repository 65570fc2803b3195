# Starts and stops the standalone test API server (tests/DaprSecurity.KubeApiServer) as a child process, and talks to
# its admin endpoint. Used by build.ps1 -Task Lab and by the Pester suite, so both run the same lab.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path

# This same PowerShell, for child shells: `dotnet pwsh` runs pwsh.dll under the dotnet host, an installed pwsh runs
# itself. Returns the executable, then its leading arguments.
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { @($process, [IO.Path]::Combine($PSHOME, 'pwsh.dll')) } else { @($process) }
}

# The context names of the lab's two clusters, as the README's examples across clusters name them.
function Get-DaprLabFleet { 'prod-westeurope', 'prod-northeurope' }

function Get-DaprLabServerPath([string] $Configuration = 'Debug') {
    [IO.Path]::Combine($script:RepositoryRoot, 'tests', 'DaprSecurity.KubeApiServer', 'bin', $Configuration, 'net10.0', 'DaprSecurity.KubeApiServer.dll')
}

# Starts one server in $Directory and returns it once it serves.
function Start-LabServer([string] $Server, [string] $Directory, [string[]] $ServerArgument, [int] $TimeoutSeconds) {
    $kubeconfig = [IO.Path]::Combine($Directory, 'kubeconfig')
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($Server, '--kubeconfig', $kubeconfig, '--exit-with', $PID) + $ServerArgument) { $start.ArgumentList.Add([string] $argument) }
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
            throw "The lab server did not start: $errors"
        }
        if ($read.Result -like 'Press Ctrl+C*') { break }
        if ($read.Result -match '^(?<key>[^:]+): (?<value>.+)$') { $announced[$Matches.key] = $Matches.value }
    }
    [pscustomobject]@{
        Process    = $process
        Id         = $process.Id
        KubeConfig = $kubeconfig
        AdminUrl   = $announced['admin endpoint']
        AdminToken = (Select-String -Path $kubeconfig -Pattern '^\s*token: (\S+)').Matches[0].Groups[1].Value
    }
}

# One kubeconfig with a context per server, named as the fleet's clusters; the first is current.
function Write-FleetKubeConfig([string] $Path, [object[]] $Servers, [string[]] $Names) {
    $field = { param($server, $key) (Select-String -Path $server.KubeConfig -Pattern "^\s*$($key): (\S+)").Matches[0].Groups[1].Value }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]] @('apiVersion: v1', 'kind: Config', 'clusters:'))
    for ($i = 0; $i -lt $Servers.Count; $i++) {
        $lines.AddRange([string[]] @("- name: $($Names[$i])", '  cluster:', "    server: $(& $field $Servers[$i] 'server')", "    certificate-authority-data: $(& $field $Servers[$i] 'certificate-authority-data')"))
    }
    $lines.Add('users:')
    for ($i = 0; $i -lt $Servers.Count; $i++) {
        $lines.AddRange([string[]] @("- name: admin@$($Names[$i])", '  user:', "    token: $($Servers[$i].AdminToken)"))
    }
    $lines.Add('contexts:')
    for ($i = 0; $i -lt $Servers.Count; $i++) {
        $lines.AddRange([string[]] @("- name: $($Names[$i])", '  context:', "    cluster: $($Names[$i])", "    user: admin@$($Names[$i])", '    namespace: default'))
    }
    $lines.Add("current-context: $($Names[0])")
    [IO.File]::WriteAllLines($Path, $lines)
}

<#
.SYNOPSIS
    Starts the test API server with the lab seed (or other options) and returns where to reach it once it serves.
.DESCRIPTION
    The server is told to exit with this process (--exit-with), so it never outlives the session that started it, even
    when that session is killed. With -Cluster, one server per name (each with the same seed) in one kubeconfig,
    work/clusters.yaml, whose contexts are those names, the first current: a fleet for the examples that span clusters.
    The lab's working folder (WorkDirectory) also holds deploy/, the manifests of namespace shop as a team keeps them
    in Git (apps/, components/). Stop it with Stop-DaprLab.
#>
function Start-DaprLab {
    [CmdletBinding()]
    param(
        [string[]] $ServerArgument = @('--lab'),
        [string] $Configuration = 'Debug',
        [int] $TimeoutSeconds = 60,
        [string[]] $Cluster
    )
    $server = Get-DaprLabServerPath $Configuration
    if (-not (Test-Path $server)) { throw "The test API server is not built ($server); run ./build.ps1 first." }
    $directory = (New-Item -ItemType Directory -Path ([IO.Path]::Combine([IO.Path]::GetTempPath(), "dapr-lab-$([guid]::NewGuid().ToString('N').Substring(0, 8))"))).FullName
    $work = [IO.Path]::Combine($directory, 'work')
    $servers = [Collections.Generic.List[object]]::new()
    try {
        foreach ($index in 0..([Math]::Max(1, $Cluster.Count) - 1)) {
            $serverDirectory = (New-Item -ItemType Directory ([IO.Path]::Combine($directory, "server-$index"))).FullName
            $arguments = if ($index -eq 0) { @($ServerArgument) + @('--manifests', [IO.Path]::Combine($work, 'deploy')) } else { $ServerArgument }
            $servers.Add((Start-LabServer $server $serverDirectory $arguments $TimeoutSeconds))
        }
    } catch {
        $servers | ForEach-Object { Stop-LabServer $_ }
        Remove-Item -Recurse -Force $directory
        throw
    }
    $kubeconfig = $servers[0].KubeConfig
    if ($Cluster) {
        $kubeconfig = [IO.Path]::Combine($work, 'clusters.yaml')
        Write-FleetKubeConfig $kubeconfig $servers $Cluster
    }
    [pscustomobject]@{
        PSTypeName    = 'DaprLab'
        Directory     = $directory
        WorkDirectory = $work
        KubeConfig    = $kubeconfig
        AdminUrl      = $servers[0].AdminUrl
        AdminToken    = $servers[0].AdminToken
        Servers       = $servers.ToArray()
    }
}

# SIGTERM, then kill after a timeout.
function Stop-LabServer($Server) {
    $process = $Server.Process
    if (-not $process.HasExited) {
        if ($IsWindows) { $process.Kill() } else { & kill -TERM $Server.Id }
        if (-not $process.WaitForExit(15000)) { $process.Kill() }
    }
    $process.Dispose()
}

<#
.SYNOPSIS
    Stops a lab started by Start-DaprLab, each server by its process id (SIGTERM, then kill after a timeout), and
    deletes its files.
#>
function Stop-DaprLab {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Lab)
    process {
        $Lab.Servers | ForEach-Object { Stop-LabServer $_ }
        Remove-Item -Recurse -Force $Lab.Directory -ErrorAction SilentlyContinue
    }
}

<#
.SYNOPSIS
    For a test file's BeforeAll: starts a lab (as Start-DaprLab) and points KUBECONFIG at it. Exit-DaprLab in AfterAll
    puts KUBECONFIG back and stops the lab.
#>
function Enter-DaprLab {
    [CmdletBinding()]
    param([string] $Configuration = 'Debug', [string[]] $Cluster, [string[]] $ServerArgument = @('--lab'))
    $lab = Start-DaprLab -Configuration $Configuration -Cluster $Cluster -ServerArgument $ServerArgument
    $lab | Add-Member -NotePropertyName KubeConfigBefore -NotePropertyValue $env:KUBECONFIG
    $env:KUBECONFIG = $lab.KubeConfig
    $lab
}

function Exit-DaprLab {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $Lab)
    process {
        if ($Lab) {
            $env:KUBECONFIG = $Lab.KubeConfigBefore
            $Lab | Stop-DaprLab
        }
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
    # Invoke-RestMethod writes a JSON array as one object; its items are what a caller pipes on.
    $response = Invoke-RestMethod @request
    $response
}

<#
.SYNOPSIS
    Creates or replaces every object of a YAML or JSON manifest in the lab (one of a fleet lab's Servers, or the lab for
    its first), through the admin endpoint: a test's own seed.
#>
function Set-DaprLabObject {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Manifest)
    $null = Invoke-RestMethod -Method POST -Uri "$($Lab.AdminUrl)/manifests" -Headers @{ Authorization = "Bearer $($Lab.AdminToken)" } -Body $Manifest -ContentType 'application/yaml'
}

<#
.SYNOPSIS
    The object as the lab stores it now, or nothing when it does not exist (-Delete: deletes it, $true when it existed).
#>
function Get-DaprLabObject {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Lab,
        [string] $Group = '',
        [string] $Version = 'v1',
        [Parameter(Mandatory)] [string] $Resource,
        [string] $Namespace,
        [Parameter(Mandatory)] [string] $Name,
        [switch] $Delete
    )
    $query = "group=$Group&version=$Version&resource=$Resource&name=$([uri]::EscapeDataString($Name))" + $(if ($Namespace) { "&namespace=$Namespace" })
    $response = Invoke-WebRequest -Method $(if ($Delete) { 'DELETE' } else { 'GET' }) -Uri "$($Lab.AdminUrl)/object?$query" -Headers @{ Authorization = "Bearer $($Lab.AdminToken)" } -SkipHttpErrorCheck
    if ($response.StatusCode -eq 404) { if ($Delete) { $false }; return }
    if ($response.StatusCode -ge 300) { throw "The lab's admin endpoint answered $($response.StatusCode): $($response.Content)" }
    if ($Delete) { $true } else { $response.Content | ConvertFrom-Json -Depth 64 }
}

<#
.SYNOPSIS
    The manifest of a namespace holding a Dapr-enabled Deployment (one replica, label app=<name>), for Set-DaprLabObject:
    the token secrets it reads as annotated, and a Secret per -Token entry (secret name = token, under the key "token").
.EXAMPLE
    Set-DaprLabObject $lab (Get-DaprLabAppManifest inspect-a orders -AppTokenSecret app-api-token -Token @{ 'app-api-token' = 't1' })
#>
function Get-DaprLabAppManifest {
    param(
        [Parameter(Mandatory)] [string] $Namespace,
        [Parameter(Mandatory)] [string] $Name,
        [string] $AppTokenSecret,
        [string] $ApiTokenSecret,
        [switch] $DaprDisabled,
        [hashtable] $Token = @{}
    )
    $annotations = "dapr.io/enabled: `"$((-not $DaprDisabled).ToString().ToLowerInvariant())`", dapr.io/app-id: $Name" +
        $(if ($AppTokenSecret) { ", dapr.io/app-token-secret: $AppTokenSecret" }) + $(if ($ApiTokenSecret) { ", dapr.io/api-token-secret: $ApiTokenSecret" })
    $documents = @("apiVersion: v1`nkind: Namespace`nmetadata: {name: $Namespace}", @"
apiVersion: apps/v1
kind: Deployment
metadata: {name: $Name, namespace: $Namespace}
spec:
  replicas: 1
  selector: {matchLabels: {app: $Name}}
  template:
    metadata:
      labels: {app: $Name}
      annotations: {$annotations}
    spec:
      containers:
      - {name: $Name, image: ghcr.io/example/${Name}:1.0.0}
"@)
    $documents += foreach ($secret in $Token.Keys) {
        "apiVersion: v1`nkind: Secret`nmetadata: {name: $secret, namespace: $Namespace}`ndata: {token: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Token[$secret])))}"
    }
    $documents -join "`n---`n"
}

Export-ModuleMember -Function Start-DaprLab, Stop-DaprLab, Enter-DaprLab, Exit-DaprLab, Invoke-DaprLabAdmin, Get-DaprLabFleet, Get-PwshCommand, Set-DaprLabObject, Get-DaprLabObject,
    Get-DaprLabAppManifest
