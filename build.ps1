<#
.SYNOPSIS
    Builds, tests or packages the DaprSecurity module with the dotnet CLI (no other tool needed).
.PARAMETER Task
    Build (default): builds the solution; the importable module is in out/DaprSecurity.
    Test: builds and runs every test suite (the same command as CI).
    Package: builds in Release and writes out/DaprSecurity.<version>.nupkg, a PowerShell module package (the module
    folder at the package root, as Publish-PSResource writes it) that Install-PSResource and Publish-PSResource accept.
.PARAMETER Configuration
    Debug or Release for Build and Test. Package always builds Release.
.PARAMETER NoBuild
    Package: pack out/DaprSecurity as it is, without building first.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Package
    Publish-PSResource -NupkgPath ./out/DaprSecurity.0.1.0.nupkg -Repository MyGallery
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $NoBuild
)

# Only PowerShell's core cmdlets and .NET are used, so this script also runs in a hosted engine (the tests use it).
$ErrorActionPreference = 'Stop'
$solution = [IO.Path]::Combine($PSScriptRoot, 'DaprSecurity.sln')
$outDirectory = [IO.Path]::Combine($PSScriptRoot, 'out')

function Invoke-Dotnet {
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
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
  </metadata>
  <files>
    <file src="**" target="" />
  </files>
</package>
"@
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build $solution -c $Configuration
    }
    'Test' {
        Invoke-Dotnet test $solution -c $Configuration
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
