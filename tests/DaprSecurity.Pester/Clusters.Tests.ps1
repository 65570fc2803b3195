# A writing command across the lab's two clusters: each confirmation and WhatIf line names the cluster it is about
# (both come from the same ShouldProcess target; -WhatIf shows it without a console to answer prompts).

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -Cluster (Get-DaprLabFleet)
    Import-Module (Get-ModuleManifestPath) -Force
    $manifest = Get-ModuleManifestPath

    # The WhatIf lines of a command in a new session, as "[context] target".
    function Get-WhatIfTarget([string] $Script) {
        $result = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script "Import-Module '$manifest'; $Script"
        @($result.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' } | ForEach-Object { ($_ -split 'on target "')[1].TrimEnd('.', '"') })
    }

    # Runs a script at a terminal (script(1) gives it a pty, so Confirm prompts are real) and types $Typed into it.
    function Invoke-AtTerminal([string] $Script, [string] $Typed) {
        $pwsh = (Get-PwshCommand) -join ' '
        $file = [IO.Path]::Combine($lab.Directory, "terminal-$([guid]::NewGuid()).ps1")
        Set-Content -LiteralPath $file -Value "Import-Module '$manifest'; $Script"
        $start = [Diagnostics.ProcessStartInfo]::new('script')
        foreach ($argument in '-qec', "$pwsh -NoProfile -File '$file'", '/dev/null') { $start.ArgumentList.Add($argument) }
        $start.Environment['KUBECONFIG'] = $lab.KubeConfig
        $start.Environment['NO_COLOR'] = '1'
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $process = [Diagnostics.Process]::Start($start)
        $process.StandardInput.Write($Typed) # the terminal keeps it until the prompts read it
        $process.StandardInput.Flush()
        $screen = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        $process.StandardInput.Close()
        $screen -replace "`e\[[0-9;?]*[A-Za-z]", '' -replace "`e[=>]", ''
    }
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

    It 'objects piped from both clusters: each writer names the cluster of every target, and changes nothing' -ForEach @(
        @{ Writer = 'Restart-DaprDeployment'; Script = 'Get-DaprDeployment -Context prod-* -Namespace shop -Name order-api | Restart-DaprDeployment -WhatIf'; Target = 'Deployment shop/order-api' }
        @{ Writer = 'Restart-DaprDeployment -Wait'; Script = 'Get-DaprDeployment -Context prod-* -Namespace shop -Name order-api | Restart-DaprDeployment -Wait -WhatIf'; Target = 'Deployment shop/order-api' }
        @{ Writer = 'Remove-DaprTokenSecret'; Script = 'New-DaprAppToken | Set-DaprTokenSecret -Context prod-* -Namespace prod-us; Get-DaprTokenSecret -Context prod-* -Namespace prod-us | Remove-DaprTokenSecret -WhatIf'; Target = 'secret prod-us/app-api-token' }
        @{ Writer = 'Set-DaprTokenSecret'; Script = 'Get-DaprNamespace -Context prod-* -Name shop | Set-DaprTokenSecret -Token (New-DaprAppToken) -WhatIf'; Target = 'secret shop/app-api-token' }
        @{ Writer = 'Set-DaprComponentScope'; Script = 'Get-DaprComponentScope -Context prod-* -Namespace shop -Name pubsub | Set-DaprComponentScope -AppId order-api -WhatIf'; Target = 'component shop/pubsub' }
    ) {
        $targets = Get-WhatIfTarget $Script

        $targets | Sort-Object | Should -Be @("[prod-northeurope] $Target", "[prod-westeurope] $Target") -Because "$Writer names each cluster"
        if ($Writer -eq 'Set-DaprComponentScope') { (Get-DaprComponentScope -Context prod-* -Namespace shop -Name pubsub).IsScoped | Should -Be @($false, $false) }
        if ($Writer -eq 'Remove-DaprTokenSecret') { @(Get-DaprTokenSecret -Context prod-* -Namespace prod-us).Count | Should -Be 2 }
    }

    It 'names the cluster of piped objects even when they come from one (a later one could come from another)' {
        $targets = Get-WhatIfTarget 'Get-DaprComponentScope -Context prod-northeurope -Namespace shop -Name pubsub | Set-DaprComponentScope -AppId order-api -WhatIf'

        $targets | Should -Be '[prod-northeurope] component shop/pubsub'
    }

    It 'asks once per cluster at a real Confirm prompt, and acts only in the cluster the answer was about' -Skip:(-not (Get-Command script -CommandType Application -ErrorAction Ignore)) {
        New-DaprAppToken | Set-DaprTokenSecret -Context prod-* -Namespace prod-eu

        $screen = Invoke-AtTerminal 'Get-DaprTokenSecret -Context prod-* -Namespace prod-eu | Remove-DaprTokenSecret -Confirm' -Typed "y`rn`r"

        $asked = @([regex]::Matches($screen, 'on target "\[(?<context>[^\]]+)\]') | ForEach-Object { $_.Groups['context'].Value })
        $asked | Sort-Object | Should -Be @('prod-northeurope', 'prod-westeurope') -Because $screen
        @(Get-DaprTokenSecret -Context prod-* -Namespace prod-eu).Context | Should -Be $asked[1] -Because "the first prompt ($($asked[0])) was answered Yes, the second No"
    }

    It 'with -Wait finishes the rollouts of one cluster before it restarts in the next' {
        $results = @(Get-DaprDeployment -Context prod-* -Namespace prod-us -Name order-api, inventory-api | Restart-DaprDeployment -Wait -Confirm:$false)

        $results.Status | Select-Object -Unique | Should -Be 'RolledOut'
        $order = @($results.Context)
        $first = @($order | Where-Object { $_ -eq $order[0] }).Count
        $order[0..($first - 1)] | Select-Object -Unique | Should -Be $order[0] -Because "every result of one cluster comes before the next cluster's: $($order -join ', ')"
        $order.Count | Should -Be 4
    }
}

