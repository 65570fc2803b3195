# Packaging as a user installs it: build.ps1 -Task Package writes a module .nupkg without warnings; it is published
# to a local repository, installed with Install-PSResource, and a fresh pwsh imports it by name and reaches the lab.
# PSResourceGet runs with a home of its own (HOME and XDG_* in a temp folder), so the user's repository settings and
# modules are never touched; the test checks that they are unchanged.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $lab = Start-DaprLab -Configuration (Get-TestConfiguration)
    # Read, never through PSResourceGet, which would create the file where the user has none.
    $userRepositories = [IO.Path]::Combine([Environment]::GetFolderPath('LocalApplicationData'), 'PSResourceGet', 'PSResourceRepository.xml')
    $userRepositoriesBefore = if (Test-Path $userRepositories) { Get-Content -Raw $userRepositories } else { '(none)' }
    $version = (Import-PowerShellDataFile (Get-ModuleManifestPath)).ModuleVersion
    $build = Invoke-Pwsh -Script "& '$([IO.Path]::Combine((Get-RepositoryRoot), 'build.ps1'))' -Task Package -NoBuild"
    $package = [IO.Path]::Combine((Get-RepositoryRoot), 'out', "DaprSecurity.$version.nupkg")
    $userHome = (New-Item -ItemType Directory (Join-Path $TestDrive 'home')).FullName
    $isolated = @{
        HOME            = $userHome
        XDG_DATA_HOME   = Join-Path $userHome '.local/share'
        XDG_CONFIG_HOME = Join-Path $userHome '.config'
        XDG_CACHE_HOME  = Join-Path $userHome '.cache'
        KUBECONFIG      = $lab.KubeConfig
        PSModulePath    = ''
    }
    # .NET reports a special folder only when it exists; PSResourceGet would otherwise write next to the working directory.
    foreach ($folder in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $null = New-Item -ItemType Directory -Force $isolated[$folder] }
}

AfterAll {
    if ($lab) { $lab | Stop-DaprLab }
}

Describe 'build.ps1 -Task Package' {
    It 'packs without warnings' {
        $build.ExitCode | Should -Be 0 -Because $build.Output
        $build.Output | Should -Not -Match '(?i)warn|missing a readme'
    }

    It 'writes a module package: the module at its root, a readme, and the tags PSResourceGet searches' {
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try {
            $entries = $zip.Entries.FullName
            foreach ($entry in 'DaprSecurity.psd1', 'DaprSecurity.dll', 'DaprSecurity.Format.ps1xml', 'en-US/DaprSecurity.dll-Help.xml',
                'Dependencies/DaprSecurity.Engine.dll', 'Dependencies/KubernetesClient.dll', 'README.md') {
                $entries | Should -Contain $entry
            }
            $reader = [IO.StreamReader]::new($zip.GetEntry('DaprSecurity.nuspec').Open())
            $nuspec = [xml] $reader.ReadToEnd()
            $reader.Dispose()
        } finally {
            $zip.Dispose()
        }
        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'DaprSecurity'
        $metadata.version | Should -Be $version
        $metadata.readme | Should -Be 'README.md'
        $metadata.tags -split ' ' | Should -Contain 'PSModule'
        $metadata.tags -split ' ' | Should -Contain 'PSCmdlet_Get-DaprContext'
    }
}

Describe 'Install-PSResource from a local repository' {
    It 'installs, and a fresh pwsh imports DaprSecurity by name and talks to the lab' {
        $repository = (New-Item -ItemType Directory (Join-Path $TestDrive 'repository')).FullName
        Copy-Item $package $repository
        $install = Invoke-Pwsh -Environment $isolated -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name DaprSecurityLocal -Uri '$repository' -Trusted
Install-PSResource DaprSecurity -Repository DaprSecurityLocal -Scope CurrentUser
(Get-InstalledPSResource DaprSecurity).Version.ToString()
"@
        $install.ExitCode | Should -Be 0 -Because $install.Output
        $install.Output | Should -Match ([regex]::Escape($version))

        $use = Invoke-Pwsh -Environment $isolated -Script @'
$ErrorActionPreference = 'Stop'
Import-Module DaprSecurity
(Get-Module DaprSecurity).ModuleBase
(Get-DaprNamespace -Name shop).DaprWorkloads
'@
        $use.ExitCode | Should -Be 0 -Because $use.Output
        $lines = $use.Output -split "`r?`n" | Where-Object { $_ }
        $lines[0] | Should -BeLike "$userHome*"
        $lines[1] | Should -Be '3'
    }

    It 'leaves the user''s own repository settings as they were' {
        $after = if (Test-Path $userRepositories) { Get-Content -Raw $userRepositories } else { '(none)' }
        $after | Should -Be $userRepositoriesBefore
        Test-Path ([IO.Path]::Combine((Get-RepositoryRoot), 'PSResourceGet')) | Should -BeFalse -Because 'nothing may land in the working directory'
    }
}
