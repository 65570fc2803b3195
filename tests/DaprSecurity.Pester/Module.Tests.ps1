# The module as PowerShell sees it: a valid manifest that lists exactly the cmdlets the assembly defines, its alias,
# and command discovery that imports it on first use (autoloading).

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    $manifestPath = Get-ModuleManifestPath
    Import-Module $manifestPath -Force
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest and requires PowerShell 7.4 Core' {
        $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $manifest.PowerShellVersion | Should -Be ([version] '7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'exports exactly the cmdlets the assembly defines, listed without wildcards' {
        $defined = (Get-Module DaprSecurity).ImplementingAssembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        @((Get-Module DaprSecurity).ExportedCmdlets.Keys | Sort-Object) | Should -Be @($defined | Sort-Object)
        Get-Content -Raw $manifestPath | Should -Not -Match "'\*'"
    }

    It 'exports Get-Namespace as the alias of Get-DaprNamespace, when the manifest declares it' {
        $aliases = (Import-PowerShellDataFile $manifestPath).AliasesToExport
        if ($aliases -notcontains 'Get-Namespace') { Set-ItResult -Skipped -Because 'the manifest does not export Get-Namespace'; return }
        (Get-Alias Get-Namespace).ResolvedCommandName | Should -Be 'Get-DaprNamespace'
        (Get-Alias Get-Namespace).Source | Should -Be 'DaprSecurity'
    }
}

Describe 'Autoloading' {
    It 'imports the module when one of its commands is first used, without Import-Module' {
        $modules = Split-Path (Split-Path $manifestPath)
        $kubeconfig = Join-Path $TestDrive 'empty.kubeconfig'
        Set-Content $kubeconfig "apiVersion: v1`nkind: Config`ncontexts:`n- name: lab`n  context: {cluster: c, user: u}`nclusters:`n- name: c`n  cluster: {server: 'https://127.0.0.1:1'}`nusers:`n- name: u`n  user: {token: t}`ncurrent-context: lab"
        $separator = [IO.Path]::PathSeparator
        $result = Invoke-Pwsh -Environment @{ PSModulePath = "$modules$separator$env:PSModulePath" } -Script @"
if (Get-Module DaprSecurity) { throw 'imported before use' }
(Get-DaprContext -KubeConfig '$kubeconfig').Name
(Get-Module DaprSecurity).Path
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $lines = $result.Output -split "`r?`n"
        $lines[0] | Should -Be 'lab'
        $lines[1] | Should -Be ([IO.Path]::ChangeExtension($manifestPath, '.dll'))
    }
}
