<#
.SYNOPSIS
    Builds, tests or packages the DaprSecurity module, or opens the lab, with the dotnet CLI (no other tool needed).
.PARAMETER Task
    Build (default): builds the solution; the importable module is in out/DaprSecurity.
    Test: builds, runs the xunit suites (TRX) and the Pester suite (NUnit XML) into out/TestResults, and fails when
    either has a failure or ran no test. The same command as CI. It restores in locked mode: a packages.lock.json that
    no longer matches Directory.Packages.props fails the restore (a Build task brings the lock files up to date).
    Package: builds in Release and writes out/DaprSecurity.<version>.nupkg, a PowerShell module package (the module
    folder at the package root, as Publish-PSResource writes it) that Install-PSResource and Publish-PSResource accept.
    Lab: builds the module and the test API server, starts the lab cluster and opens pwsh with the module imported and
    KUBECONFIG pointing at the lab; leaving that shell stops the lab.
.PARAMETER Configuration
    Debug or Release for Build, Test and Lab. Package always builds Release.
.PARAMETER NoBuild
    Package: pack out/DaprSecurity as it is. Test: run the tests on the build that is there. Lab: start what is built.
.PARAMETER Command
    Lab: run this script in the lab shell instead of opening it interactively; errors stop it, and the build script
    exits with the shell's exit status.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Lab -Command 'Test-DaprMtls'
.EXAMPLE
    ./build.ps1 -Task Package
    Publish-PSResource -NupkgPath ./out/DaprSecurity.0.1.0.nupkg -Repository MyGallery
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Lab')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $NoBuild,

    [string] $Command
)

$ErrorActionPreference = 'Stop'
$solution = [IO.Path]::Combine($PSScriptRoot, 'DaprSecurity.sln')
$outDirectory = [IO.Path]::Combine($PSScriptRoot, 'out')
$resultsDirectory = [IO.Path]::Combine($outDirectory, 'TestResults')
$pesterDirectory = [IO.Path]::Combine($PSScriptRoot, 'tests', 'DaprSecurity.Pester')
# Start-DaprLab, Stop-DaprLab and Get-PwshCommand (this same PowerShell, for child shells).
Import-Module ([IO.Path]::Combine($pesterDirectory, 'DaprLab.psm1')) -Force

function Invoke-Dotnet {
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# Pester comes from NuGet (tests/DaprSecurity.Pester/Tools), restored into the NuGet package folder and imported by path.
function Restore-Pester {
    $project = [IO.Path]::Combine($pesterDirectory, 'Tools', 'DaprSecurity.Pester.Tools.csproj')
    Invoke-Dotnet restore $project -v q --locked-mode
    $assets = Get-Content -Raw ([IO.Path]::Combine($pesterDirectory, 'Tools', 'obj', 'project.assets.json')) | ConvertFrom-Json
    foreach ($folder in $assets.packageFolders.PSObject.Properties.Name) {
        $manifest = [IO.Path]::Combine($folder, 'pester', '5.7.1', 'tools', 'Pester.psd1')
        if (Test-Path $manifest) { return $manifest }
    }
    throw "Pester 5.7.1 was restored, but tools/Pester.psd1 is in none of $($assets.packageFolders.PSObject.Properties.Name -join ', ')."
}

# Passed and failed counts of a TRX (xunit) or NUnit 3 (Pester) result file.
function Read-TestCounts([IO.FileInfo] $File) {
    $xml = [xml] [IO.File]::ReadAllText($File.FullName)
    if ($xml.DocumentElement.LocalName -eq 'TestRun') {
        $counters = $xml.TestRun.ResultSummary.Counters
        [pscustomobject]@{ File = $File.Name; Passed = [int] $counters.passed; Failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted }
    } else {
        $run = $xml.'test-run'
        [pscustomobject]@{ File = $File.Name; Passed = [int] $run.passed; Failed = [int] $run.failed }
    }
}

# The failed tests of a TRX (xunit) or NUnit 3 (Pester) result file, each with the first lines of its message, so a
# CI log that keeps only its tail still says why.
function Read-FailedTests([IO.FileInfo] $File) {
    $xml = [xml] [IO.File]::ReadAllText($File.FullName)
    $failures = if ($xml.DocumentElement.LocalName -eq 'TestRun') {
        $xml.TestRun.Results.UnitTestResult | Where-Object outcome -NotIn 'Passed', 'NotExecuted' |
            ForEach-Object { [pscustomobject] @{ Name = $_.testName; Message = $_.Output.ErrorInfo.Message } }
    } else {
        $xml.SelectNodes("//test-case[@result='Failed']") |
            ForEach-Object { [pscustomobject] @{ Name = $_.fullname; Message = $_.failure.message.'#cdata-section' ?? $_.failure.message } }
    }
    foreach ($failure in $failures) {
        $lines = @("$($failure.Message)" -split '\r?\n' | Where-Object { $_.Trim() } | Select-Object -First 6)
        (@($failure.Name) + ($lines | ForEach-Object { "    $_" })) -join [Environment]::NewLine
    }
}

function Invoke-Tests {
    # Cleared first, so results of an earlier run are never counted as this one's.
    Remove-Item -Recurse -Force $resultsDirectory -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory $resultsDirectory
    if (-not $NoBuild) { Invoke-Dotnet build $solution -c $Configuration '-p:RestoreLockedMode=true' }
    $pester = Restore-Pester
    Write-Host "Pester: $pester"

    & dotnet test $solution -c $Configuration --no-build --logger trx --results-directory $resultsDirectory | Out-Host
    $xunitExit = $LASTEXITCODE

    # A child shell, as a user's session: nothing of this script's state (preferences, loaded modules) leaks into it.
    $pwsh = @(Get-PwshCommand)
    $pwshArguments = @($pwsh | Select-Object -Skip 1)
    $runner = [IO.Path]::Combine($pesterDirectory, 'Invoke-PesterSuite.ps1')
    & $pwsh[0] @pwshArguments -NoProfile -NonInteractive -File $runner -PesterPath $pester -Configuration $Configuration `
        -ResultPath ([IO.Path]::Combine($resultsDirectory, 'pester.xml')) | Out-Host
    $pesterExit = $LASTEXITCODE

    $xunit = @(Get-ChildItem $resultsDirectory -Filter *.trx | ForEach-Object { Read-TestCounts $_ })
    $pesterCounts = @(Get-ChildItem $resultsDirectory -Filter pester.xml | ForEach-Object { Read-TestCounts $_ })
    $problems = @(
        if ($xunitExit -ne 0) { "dotnet test exited with $xunitExit" }
        if (($xunit | Measure-Object Passed -Sum).Sum -eq 0) { 'xunit ran no test' }
        if ($pesterExit -ne 0) { "Pester exited with $pesterExit" }
        if (($pesterCounts | Measure-Object Passed -Sum).Sum -eq 0) { 'Pester ran no test' }
    )
    foreach ($suite in @{ xunit = $xunit; Pester = $pesterCounts }.GetEnumerator()) {
        Write-Host ('{0}: {1} passed, {2} failed' -f $suite.Key, ($suite.Value | Measure-Object Passed -Sum).Sum, ($suite.Value | Measure-Object Failed -Sum).Sum)
    }
    # Named here, next to the counts, so a CI log that keeps only its tail still says which tests failed and why.
    $resultFiles = Get-ChildItem $resultsDirectory -File | Where-Object { $_.Extension -eq '.trx' -or $_.Name -eq 'pester.xml' }
    foreach ($name in $resultFiles | ForEach-Object { Read-FailedTests $_ }) { Write-Host "failed: $name" }
    if ($problems) { throw "Tests failed: $($problems -join '; '). Results: $resultsDirectory" }
}

function Enter-Lab {
    if (-not $NoBuild) {
        Invoke-Dotnet build ([IO.Path]::Combine($PSScriptRoot, 'src', 'DaprSecurity.Module', 'DaprSecurity.Module.csproj')) -c $Configuration -v q
        Invoke-Dotnet build ([IO.Path]::Combine($PSScriptRoot, 'tests', 'DaprSecurity.KubeApiServer', 'DaprSecurity.KubeApiServer.csproj')) -c $Configuration -v q
    }
    $lab = Start-DaprLab -Configuration $Configuration -Cluster (Get-DaprLabFleet)
    $kubeconfigBefore = $env:KUBECONFIG
    Push-Location -LiteralPath $lab.WorkDirectory
    try {
        $env:KUBECONFIG = $lab.KubeConfig
        $manifest = [IO.Path]::Combine($outDirectory, 'DaprSecurity', 'DaprSecurity.psd1')
        $import = "Import-Module '$($manifest -replace "'", "''")'"
        $pwsh = @(Get-PwshCommand)
        $pwshArguments = @($pwsh | Select-Object -Skip 1)
        # Not captured, so the lab shell has the terminal.
        if ($Command) {
            & $pwsh[0] @pwshArguments -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $import; $Command"
        } else {
            Write-Host "Lab of two clusters, contexts $((Get-DaprLabFleet) -join ' (current) and ') (each: control plane dapr-system; apps in shop, prod-eu, prod-us), kubeconfig $($lab.KubeConfig). Working directory $($lab.WorkDirectory) (./deploy: the manifests of shop). Type exit to stop it."
            & $pwsh[0] @pwshArguments -NoLogo -NoExit -Command "$import; function prompt { 'lab ' + `$executionContext.SessionState.Path.CurrentLocation + '> ' }"
        }
        $script:labExitCode = $LASTEXITCODE
    } finally {
        Pop-Location
        $env:KUBECONFIG = $kubeconfigBefore
        $lab | Stop-DaprLab
    }
}

function Read-ModuleManifest([string] $Path) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
    if ($errors) { throw "$Path is not a valid manifest: $($errors[0].Message)" }
    $ast.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false).SafeGetValue()
}

function New-Nuspec([hashtable] $Manifest) {
    $escape = { param($text) [Security.SecurityElement]::Escape([string] $text) }
    $data = $Manifest.PrivateData.PSData
    # PSResourceGet finds modules and their commands by these tags.
    $tags = @($data.Tags) + 'PSModule' + ($Manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
    @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/10/nuspec.xsd">
  <metadata>
    <id>DaprSecurity</id>
    <version>$($Manifest.ModuleVersion)</version>
    <authors>$(& $escape $Manifest.Author)</authors>
    <description>$(& $escape $Manifest.Description)</description>
    <copyright>$(& $escape $Manifest.Copyright)</copyright>
    <projectUrl>$(& $escape $data.ProjectUri)</projectUrl>
    <license type="expression">MIT</license>
    <releaseNotes>$(& $escape $data.ReleaseNotes)</releaseNotes>
    <tags>$(& $escape ($tags -join ' '))</tags>
    <readme>README.md</readme>
  </metadata>
  <files>
    <file src="**" target="" />
    <file src="$(& $escape ([IO.Path]::Combine($PSScriptRoot, 'README.md')))" target="README.md" />
  </files>
</package>
"@
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build $solution -c $Configuration
    }
    'Test' {
        Invoke-Tests
    }
    'Lab' {
        Enter-Lab
        exit $script:labExitCode
    }
    'Package' {
        if (-not $NoBuild) { Invoke-Dotnet build $solution -c Release }
        $moduleDirectory = [IO.Path]::Combine($outDirectory, 'DaprSecurity')
        $manifest = Read-ModuleManifest ([IO.Path]::Combine($moduleDirectory, 'DaprSecurity.psd1'))
        $nuspec = [IO.Path]::Combine($outDirectory, 'DaprSecurity.nuspec')
        [IO.File]::WriteAllText($nuspec, (New-Nuspec $manifest))
        $project = [IO.Path]::Combine($PSScriptRoot, 'src', 'DaprSecurity.Module', 'DaprSecurity.Module.csproj')
        Invoke-Dotnet pack $project --no-build -o $outDirectory "-p:NuspecFile=$nuspec" "-p:NuspecBasePath=$moduleDirectory"
        [IO.FileInfo] [IO.Path]::Combine($outDirectory, "DaprSecurity.$($manifest.ModuleVersion).nupkg")
    }
}
