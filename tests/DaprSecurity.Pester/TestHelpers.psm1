# Shared by the *.Tests.ps1 files: where things are, and PowerShell sessions (runspaces) that run code as a user types
# it, against the lab, capturing every error with where it came from.

Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))   # Get-PwshCommand

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$script:ModuleManifest = [IO.Path]::Combine($script:RepositoryRoot, 'out', 'DaprSecurity', 'DaprSecurity.psd1')

function Get-RepositoryRoot { $script:RepositoryRoot }

function Get-ModuleManifestPath { $script:ModuleManifest }

function Get-TestConfiguration { if ($env:DAPRSECURITY_TEST_CONFIGURATION) { $env:DAPRSECURITY_TEST_CONFIGURATION } else { 'Debug' } }


<#
.SYNOPSIS
    Runs a script in a fresh `pwsh -NoProfile` (its console input is -Input) and returns its exit code and its output (all streams
    the console shows, as text).
#>
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:RepositoryRoot,
        # Typed at the console: answers to prompts.
        [string] $Input = ''
    )
    $pwsh, $arguments = Get-PwshCommand
    $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
    foreach ($argument in @($arguments) + @('-NoProfile', '-Command', $Script)) { if ($argument) { $start.ArgumentList.Add($argument) } }
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    $start.Environment['NO_COLOR'] = '1'
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($start)
    $process.StandardInput.Write($Input)
    $process.StandardInput.Close()
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout + $stderr.Result }
}

<#
.SYNOPSIS
    A session as a user's: the built module imported by its manifest, the given working directory, confirmations
    answered Yes (as a user at the console would; the default host cannot prompt, so a prompt would be an error).
    KUBECONFIG is the process's, which the tests point at the lab.
#>
function New-UserSession {
    param([Parameter(Mandatory)] [string] $WorkingDirectory)
    $state = [initialsessionstate]::CreateDefault2()
    $state.ImportPSModule($script:ModuleManifest)
    $runspace = [runspacefactory]::CreateRunspace($state)
    $runspace.Open()
    $null = Invoke-UserCode $runspace "Set-Location -LiteralPath '$($WorkingDirectory -replace "'", "''")'; `$ConfirmPreference = 'None'; `$ProgressPreference = 'SilentlyContinue'; `$PSNativeCommandUseErrorActionPreference = `$true"
    $runspace
}

<#
.SYNOPSIS
    Runs code in a session as if typed there; the output is formatted by its default views (Out-String -Width 120).
    Returns Errors: one line per error record or terminating error, with its id and the line of the code it came from.
#>
function Invoke-UserCode {
    param([Parameter(Mandatory)] [runspace] $Runspace, [Parameter(Mandatory)] [string] $Code)
    $shell = [powershell]::Create()
    $shell.Runspace = $Runspace
    $null = $shell.AddScript($Code).AddCommand('Out-String').AddParameter('Width', 120)
    $errors = [Collections.Generic.List[string]]::new()
    $output = ''
    try {
        $output = -join $shell.Invoke()
    } catch {
        $record = if ($_.Exception.InnerException -is [Management.Automation.IContainsErrorRecord]) { $_.Exception.InnerException.ErrorRecord } else { $_ }
        $errors.Add((Format-UserError $record))
    }
    foreach ($record in $shell.Streams.Error) { $errors.Add((Format-UserError $record)) }
    $shell.Dispose()
    [pscustomobject]@{ Output = $output; Errors = @($errors) }
}

function Format-UserError([Management.Automation.ErrorRecord] $Record) {
    $where = if ($Record.InvocationInfo -and $Record.InvocationInfo.ScriptLineNumber -gt 0) { " (line $($Record.InvocationInfo.ScriptLineNumber): $($Record.InvocationInfo.Line.Trim()))" } else { '' }
    "[$($Record.FullyQualifiedErrorId)] $($Record.Exception.Message)$where"
}

<#
.SYNOPSIS
    Runs a command in this session and collects what a user's session gets from it: output, every error (written or
    thrown), warnings, verbose and information messages. Nothing escapes to the test.
#>
function Invoke-Collecting {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [scriptblock] $Command)
    # The command runs in the caller's scope, so that is where errors must stay non-terminating (Pester sets Stop).
    $callerVariables = $PSCmdlet.SessionState.PSVariable
    $preference = $callerVariables.GetValue('ErrorActionPreference')
    $callerVariables.Set('ErrorActionPreference', 'Continue')
    try {
        $all = @(try { & $Command *>&1 } catch { $_ })
    } finally {
        $callerVariables.Set('ErrorActionPreference', $preference)
    }
    $of = { param($type) @($all | Where-Object { $_ -is $type }) }
    [pscustomobject]@{
        Output      = @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and $_ -isnot [Management.Automation.WarningRecord] -and $_ -isnot [Management.Automation.VerboseRecord] -and $_ -isnot [Management.Automation.InformationRecord] -and $_ -isnot [Management.Automation.DebugRecord] })
        Errors      = & $of ([Management.Automation.ErrorRecord])
        Warnings    = @(& $of ([Management.Automation.WarningRecord]) | ForEach-Object Message)
        Verbose     = @(& $of ([Management.Automation.VerboseRecord]) | ForEach-Object Message)
        Information = @(& $of ([Management.Automation.InformationRecord]) | ForEach-Object { "$($_.MessageData)" })
        Debug       = @(& $of ([Management.Automation.DebugRecord]) | ForEach-Object Message)
    }
}

<#
.SYNOPSIS
    Everything a user could see of an Invoke-Collecting result, for leak checks: its output formatted every way (list of
    every property, JSON), and every error (with its exception and target), warning, verbose, debug and information message.
#>
function Get-CollectedText($Result) {
    $errors = $Result.Errors | ForEach-Object { "$_ $($_.Exception) $($_.ErrorDetails) $($_.TargetObject)" }
    (@($Result.Output | Format-List * | Out-String) + ($Result.Output | ConvertTo-Json -Depth 4 -WarningAction Ignore) +
        $errors + $Result.Warnings + $Result.Verbose + $Result.Debug + $Result.Information) -join "`n"
}

<#
    Runs one documented example (a README block or a help example) as a user would, and throws with every error when
    it raised one.
#>
function Invoke-DocumentedExample($Session, [string] $Code, [string] $Description) {
    $result = Invoke-UserCode $Session $Code
    if ($result.Errors) { throw "$Description failed against the lab:`n$($result.Errors -join "`n")" }
}

<#
.SYNOPSIS
    Why $Sarif does not validate against the official SARIF 2.1.0 JSON schema (nothing when it does). The schema comes
    from the npm package @microsoft/sarif-multitool-linux, fetched with npm pack into out/tool-cache on first use, as the
    engine's tests fetch it; Test-Json checks structure, the engine's tests (SarifSchema) also formats.
#>
function Get-SarifSchemaError([string] $Sarif) {
    $schema = [IO.Path]::Combine($script:RepositoryRoot, 'out', 'tool-cache', 'sarif', 'sarif-2.1.0.json')
    if (-not (Test-Path $schema)) {
        $cache = (New-Item -ItemType Directory -Force ([IO.Path]::GetDirectoryName($schema))).FullName
        $tarball = npm pack '@microsoft/sarif-multitool-linux@5.7.0' --pack-destination $cache --silent
        if ($LASTEXITCODE) { throw "npm pack of the SARIF schema failed (exit $LASTEXITCODE)" }
        tar -xzf ([IO.Path]::Combine($cache, $tarball)) -C $cache package/sarif-2.1.0.json
        Move-Item ([IO.Path]::Combine($cache, 'package', 'sarif-2.1.0.json')) $schema
        Remove-Item -Recurse ([IO.Path]::Combine($cache, $tarball)), ([IO.Path]::Combine($cache, 'package'))
    }
    $valid = Test-Json -Json $Sarif -SchemaFile $schema -ErrorAction SilentlyContinue -ErrorVariable problems
    if (-not $valid) { @($problems | ForEach-Object { "$_" }) + 'invalid SARIF' | Select-Object -First 20 }
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-ModuleManifestPath, Get-TestConfiguration, Invoke-Pwsh,
    New-UserSession, Invoke-UserCode, Invoke-DocumentedExample, Invoke-Collecting, Get-CollectedText,
    Get-SarifSchemaError
