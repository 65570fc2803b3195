# What users reach beyond the cmdlets' own results: tab completion, -WhatIf and -Confirm text, error records, outputs
# that other PowerShell commands consume (ConvertTo-Json, Export-Csv), namespaces piped between the families, and
# Remove-Module. Against the lab.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force
    $manifest = Get-ModuleManifestPath
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Tab completion' {
    It 'completes -Context with the contexts of the kubeconfig' {
        $line = 'Get-DaprNamespace -Context '
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.ListItemText | Should -Contain 'admin@kube-api-server'
    }

    It 'completes a partly typed context name, and -Context of Get-DaprContext too' {
        $line = 'Get-DaprContext -Name adm'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.ListItemText | Should -Be @('admin@kube-api-server')
    }

    Context 'names from the cluster' {
        BeforeAll {
            # Loads the engine and connects once, as any earlier command of a session would: a cold first Tab on a busy
            # machine may take longer than the completion timeout and rightly offer nothing.
            New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace prod-us
            function Get-Completion([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }
        }

        It 'completes <Line>' -ForEach @(
            @{ Line = 'Get-DaprDeployment -Namespace prod-'; Expected = 'prod-eu', 'prod-us' }
            @{ Line = 'Get-DaprNamespace -Name sh'; Expected = @('shop') }
            @{ Line = 'Get-DaprControlPlane -ControlPlaneNamespace dapr'; Expected = @('dapr-system') }
            @{ Line = 'Restart-DaprDeployment -Namespace shop -Name order'; Expected = @('order-api') }
            @{ Line = 'Get-DaprAccessMatrix -Namespace shop -AppId inv'; Expected = @('inventory-api') }
            @{ Line = 'Set-DaprComponentScope -Namespace shop -Name '; Expected = 'pubsub', 'statestore' }
            @{ Line = 'Remove-DaprTokenSecret -Namespace prod-us -SecretName '; Expected = @('dapr-api-token') }
            @{ Line = 'Get-DaprTokenSecret -Namespace prod-us -Name '; Expected = @('dapr-api-token') }
        ) {
            Get-Completion $Line | Should -Be $Expected
        }

        It 'offers nothing from a cluster it cannot reach' {
            $kubeconfig = Join-Path $TestDrive 'unreachable.kubeconfig'
            Set-Content $kubeconfig "apiVersion: v1`nkind: Config`ncontexts:`n- name: dev`n  context: {cluster: c, user: u}`nclusters:`n- name: c`n  cluster: {server: 'https://127.0.0.1:1'}`nusers:`n- name: u`n  user: {token: t}`ncurrent-context: dev"

            Get-Completion "Get-DaprDeployment -KubeConfig '$kubeconfig' -Namespace prod-" | Should -BeNullOrEmpty
        }

        It 'resolves a relative -KubeConfig against the current location when completing -Context' {
            # Context names found only in this file, not in KUBECONFIG.
            (Get-Content -Raw $lab.KubeConfig).Replace('admin@kube-api-server', 'relative-context') | Set-Content (Join-Path $TestDrive 'relative.yaml')
            Push-Location $TestDrive
            try {
                Get-Completion 'Get-DaprCertificate -KubeConfig ./relative.yaml -Context rel' | Should -Be @('relative-context')
            } finally {
                Pop-Location
            }
        }
    }
}

Describe '-WhatIf and -Confirm' {
    It '-WhatIf says what would be written, names the token by fingerprint only, and writes nothing' {
        $result = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script @"
Import-Module '$manifest'
`$token = New-DaprAppToken
`$token | Set-DaprTokenSecret -Namespace shop -WhatIf
'PLAINTEXT=' + (`$token.Token | ConvertFrom-SecureString -AsPlainText)
'FINGERPRINT=' + `$token.Fingerprint
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $plaintext = [regex]::Match($result.Output, 'PLAINTEXT=(\S+)').Groups[1].Value
        $fingerprint = [regex]::Match($result.Output, 'FINGERPRINT=(\S+)').Groups[1].Value
        $whatIf = ($result.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' }) -join "`n"
        $whatIf | Should -Match 'shop'
        $whatIf | Should -Match ([regex]::Escape($fingerprint))
        $plaintext | Should -Not -BeNullOrEmpty
        $result.Output.Replace("PLAINTEXT=$plaintext", '') | Should -Not -Match ([regex]::Escape($plaintext))
        Get-DaprTokenSecret -Namespace shop | Should -BeNullOrEmpty
    }

    It '-Confirm asks with the action and the target, and a No leaves the cluster as it was' {
        $result = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Input "N`n" -Script @"
Import-Module '$manifest'
Set-DaprComponentScope -Namespace prod-us -Name statestore -AppId order-api -Confirm
"@
        $result.Output | Should -Match 'Are you sure you want to perform this action\?'
        $result.Output | Should -Match 'statestore'
        $result.Output | Should -Match 'prod-us'
        (Get-DaprComponentScope -Namespace prod-us -Name statestore).IsScoped | Should -BeFalse
    }
}

Describe 'Error records' {
    It 'a wildcard that matches no namespace is NamespaceNotMatched, about that pattern' {
        { Get-DaprNamespace -Name 'nothing-here-*' -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotMatched,*'
        $Error[0].TargetObject | Should -Be 'nothing-here-*'
    }

    It 'a namespace that does not exist is NamespaceNotFound, ObjectNotFound, and nothing is written' {
        $token = New-DaprAppToken
        { $token | Set-DaprTokenSecret -Namespace shop, no-such-namespace -ErrorAction Stop } | Should -Throw -ErrorId 'NamespaceNotFound,*'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $Error[0].TargetObject | Should -Be 'no-such-namespace'
    }

    It 'a context that the kubeconfig lacks is KubeContextNotFound' {
        { Get-DaprDeployment -Context no-such-context -ErrorAction Stop } | Should -Throw -ErrorId 'KubeContextNotFound,*'
    }
}

Describe 'Outputs other commands consume' {
    It 'ConvertTo-Json keeps the properties of Get-DaprNamespace' {
        $json = Get-DaprNamespace -Name shop, prod-* | ConvertTo-Json | ConvertFrom-Json
        $json.Name | Sort-Object | Should -Be @('prod-eu', 'prod-us', 'shop')
        $json[0].DaprWorkloads | Should -Be 3
    }

    It 'Export-Csv of Get-DaprDeployment reads back with Import-Csv' {
        $file = Join-Path $TestDrive 'deployments.csv'
        Get-DaprDeployment -Namespace shop | Export-Csv $file
        $rows = Import-Csv $file
        $rows.Name | Sort-Object | Should -Be @('inventory-api', 'notification-service', 'order-api')
        $rows[0].Namespace | Should -Be 'shop'
    }
}

Describe 'Namespaces piped from Get-DaprNamespace' {
    It 'select what <Cmdlet> reads' -ForEach @(
        @{ Cmdlet = 'Get-DaprDeployment' }, @{ Cmdlet = 'Get-DaprTokenSecret' }, @{ Cmdlet = 'Get-DaprComponentScope' }, @{ Cmdlet = 'Get-DaprAccessMatrix' }
    ) {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-eu, prod-us
        $namespaces = Get-DaprNamespace prod-eu | & $Cmdlet | ForEach-Object Namespace
        $namespaces | Should -Not -BeNullOrEmpty
        $namespaces | Sort-Object -Unique | Should -Be 'prod-eu'
    }
}

Describe 'Remove-Module' {
    It 'closes the module''s cluster connections; a new import connects afresh' {
        $result = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script @"
`$ErrorActionPreference = 'Stop'
function Connection { [regex]::Match((Get-DaprControlPlane -Verbose 4>&1 | Where-Object { `$_ -is [Management.Automation.VerboseRecord] }) -join ' ', 'connection #(\d+)').Groups[1].Value }
Import-Module '$manifest'
'FIRST=' + (Connection)
'REUSED=' + (Connection)
Remove-Module DaprSecurity
Import-Module '$manifest'
'AFTER=' + (Connection)
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $first = [regex]::Match($result.Output, 'FIRST=(\d+)').Groups[1].Value
        $first | Should -Not -BeNullOrEmpty -Because $result.Output
        [regex]::Match($result.Output, 'REUSED=(\d+)').Groups[1].Value | Should -Be $first
        [regex]::Match($result.Output, 'AFTER=(\d+)').Groups[1].Value | Should -Not -Be $first
    }
}
