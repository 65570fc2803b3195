# A writing command across the lab's two clusters: each confirmation and WhatIf line names the cluster it is about
# (both come from the same ShouldProcess target; -WhatIf shows it without a console to answer prompts).

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -Cluster (Get-DaprLabFleet)
    Import-Module (Get-ModuleManifestPath) -Force
    $manifest = Get-ModuleManifestPath
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Writing in several clusters' {
    It '-WhatIf names each cluster in its target, and changes neither' {
        $result = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script "Import-Module '$manifest'; Set-DaprComponentScope -Context prod-* -Namespace shop -Name statestore -AppId order-api -WhatIf"

        $whatIf = @($result.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $whatIf | Should -HaveCount 2 -Because $result.Output
        $whatIf[0] | Should -Match 'on target "\[prod-westeurope\] .*shop/statestore'
        $whatIf[1] | Should -Match 'on target "\[prod-northeurope\] .*shop/statestore'
        (Get-DaprComponentScope -Context prod-* -Namespace shop -Name statestore).IsScoped | Should -Be @($false, $false)
    }

    It 'names no cluster when the command works in one' {
        $result = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script "Import-Module '$manifest'; Set-DaprComponentScope -Namespace shop -Name statestore -AppId order-api -WhatIf"

        $result.Output | Should -Match 'What if:'
        $result.Output | Should -Not -Match '\[prod-'
    }
}
