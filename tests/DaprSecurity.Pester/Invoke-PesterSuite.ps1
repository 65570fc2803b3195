<#
.SYNOPSIS
    Runs the Pester suite (tests/DaprSecurity.Pester/*.Tests.ps1) with the Pester build.ps1 restored, writing NUnit 3 XML.
    Exits with the number of failed tests (0 when all passed). build.ps1 -Task Test calls it in a fresh pwsh.
.EXAMPLE
    ./build.ps1 -Task Test              # the usual way
.EXAMPLE
    dotnet pwsh tests/DaprSecurity.Pester/Invoke-PesterSuite.ps1 -PesterPath ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1 -Path tests/DaprSecurity.Pester/Readme.Tests.ps1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [string] $ResultPath = ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'TestResults', 'pester.xml')),
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Debug',
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -RequiredVersion 5.7.1
# The tests start the lab server of this build configuration.
$env:DAPRSECURITY_TEST_CONFIGURATION = $Configuration
$pester = New-PesterConfiguration
$pester.Run.Path = $Path
$pester.Run.Exit = $true
$pester.Run.Throw = $false
$pester.TestResult.Enabled = $true
$pester.TestResult.OutputFormat = 'NUnit3'
$pester.TestResult.OutputPath = $ResultPath
$pester.Output.Verbosity = 'Detailed'
$pester.Should.ErrorAction = 'Stop'
Invoke-Pester -Configuration $pester
