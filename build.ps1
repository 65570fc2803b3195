<#
.SYNOPSIS
    Builds, tests or packages the DaprSecurity module with the dotnet CLI (no other tool needed).
.PARAMETER Task
    Build (default): builds the solution; the importable module is in out/DaprSecurity.
    Test: builds and runs every test suite (the same command as CI).
    Package: builds in Release and writes out/DaprSecurity.<version>.nupkg, a PowerShell module package that
    Install-PSResource and Publish-PSResource accept.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build DaprSecurity.sln -c $Configuration
    }
    'Test' {
        Invoke-Dotnet test DaprSecurity.sln -c $Configuration
    }
    'Package' {
        # A PowerShell module package is a .nupkg whose root is the module folder (what Publish-PSResource writes).
        Invoke-Dotnet build DaprSecurity.sln -c Release
        $moduleDir = Join-Path $PSScriptRoot 'out/DaprSecurity'
        $manifest = Import-PowerShellDataFile (Join-Path $moduleDir 'DaprSecurity.psd1')
        $escape = { param($text) [Security.SecurityElement]::Escape([string]$text) }
        $tags = @($manifest.PrivateData.PSData.Tags) + 'PSModule' + ($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
        $nuspec = Join-Path $PSScriptRoot 'out/DaprSecurity.nuspec'
        Set-Content -Path $nuspec -Encoding utf8 -Value @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/10/nuspec.xsd">
  <metadata>
    <id>DaprSecurity</id>
    <version>$($manifest.ModuleVersion)</version>
    <authors>$(& $escape $manifest.Author)</authors>
    <description>$(& $escape $manifest.Description)</description>
    <copyright>$(& $escape $manifest.Copyright)</copyright>
    <projectUrl>$($manifest.PrivateData.PSData.ProjectUri)</projectUrl>
    <licenseUrl>$($manifest.PrivateData.PSData.LicenseUri)</licenseUrl>
    <releaseNotes>$($manifest.PrivateData.PSData.ReleaseNotes)</releaseNotes>
    <tags>$(& $escape ($tags -join ' '))</tags>
  </metadata>
  <files>
    <file src="**" target="" />
  </files>
</package>
"@
        Invoke-Dotnet pack src/DaprSecurity.Module/DaprSecurity.Module.csproj -c Release --no-build -o (Join-Path $PSScriptRoot 'out') "-p:NuspecFile=$nuspec" "-p:NuspecBasePath=$moduleDir"
    }
}
