# Help as users read it (Get-Help on the built module): every exported cmdlet has a synopsis, a description, help on
# every parameter and at least two examples; each example uses a cmdlet of this module with one of its parameters; and
# every example runs against the lab, each cmdlet's in a new session. An example the lab cannot run carries the attribute
# <example doctest="skip - <reason>"> in the cmdlet's XML doc comment, which this test reads.

BeforeDiscovery {
    $manifest = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'DaprSecurity', 'DaprSecurity.psd1')
    Import-Module $manifest -Force
    $sources = Get-ChildItem ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'src', 'DaprSecurity', 'Commands')) -Recurse -Filter *Command.cs
    $cmdlets = foreach ($name in (Get-Module DaprSecurity).ExportedCmdlets.Keys | Sort-Object) {
        # The doctest attributes of the <example> elements, in order, from the XML doc comment above [Cmdlet(...)].
        $source = $sources | Where-Object Name -eq "$($name -replace '-')Command.cs"
        $skips = @()
        if ($source) {
            $comment = (Get-Content $source.FullName | Where-Object { $_ -match '^\s*///' } | ForEach-Object { $_ -replace '^\s*/// ?' }) -join "`n"
            $skips = @(([xml] "<doc>$comment</doc>").doc.example | ForEach-Object { if ($_.doctest -match '^\s*skip\s*-\s*(.+)$') { $Matches[1] } else { $null } })
        }
        $examples = @((Get-Help $name -Examples).examples.example)
        @{
            Name     = $name
            Source   = if ($source) { $source.Name } else { '(source not found)' }
            Examples = @(for ($i = 0; $i -lt $examples.Count; $i++) {
                    $code = ($examples[$i].code | Out-String).Trim()
                    @{
                        Cmdlet    = $name
                        Number    = $i + 1
                        Code      = $code
                        FirstLine = ($code -split "`n")[0].Trim()
                        Remarks   = ($examples[$i].remarks | Out-String).Trim()
                        Skip      = if ($i -lt $skips.Count) { $skips[$i] } else { $null }
                    }
                })
        }
    }
}

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    Import-Module (Get-ModuleManifestPath) -Force
    $commonParameters = [Management.Automation.Cmdlet]::CommonParameters + [Management.Automation.Cmdlet]::OptionalCommonParameters
    # One lab for every example, in cmdlet order (starting one per cmdlet costs minutes); each cmdlet gets a new session.
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -Cluster (Get-DaprLabFleet)
    # Recovery files of trust-bundle renewals go to the lab, not to the local application data of whoever runs this.
    $dataHomeBefore = $env:XDG_DATA_HOME, $env:LOCALAPPDATA
    $env:XDG_DATA_HOME = $env:LOCALAPPDATA = $lab.Directory
}

AfterAll {
    $env:XDG_DATA_HOME, $env:LOCALAPPDATA = $dataHomeBefore
    $lab | Exit-DaprLab
}

Describe 'Help of <Name>' -ForEach $cmdlets {
    It 'has a synopsis that is not just the syntax, and a description' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        "$($help.Synopsis.Trim()) " | Should -Not -BeLike "$Name *"
        $help.description.Text | Should -Not -BeNullOrEmpty
    }

    It 'has help text on every parameter, with readable type names' {
        $help = Get-Help $Name -Full
        $documented = @($help.parameters.parameter | Where-Object { $_.description.Text } | ForEach-Object name)
        $parameters = @((Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $commonParameters })
        $parameters | Should -Not -BeNullOrEmpty
        $parameters | Where-Object { $_ -notin $documented } | Should -BeNullOrEmpty -Because "every parameter of $Name needs a <summary>"
        $help.parameters.parameter.type.name | Where-Object { $_ -like '*`*' } | Should -BeNullOrEmpty -Because 'generic type names must be readable'
    }

    It 'has at least two examples, each naming a cmdlet of this module, and shows itself with one of its parameters' {
        $Examples.Count | Should -BeGreaterOrEqual 2
        $ownUses = foreach ($example in $Examples) {
            $ast = [Management.Automation.Language.Parser]::ParseInput($example.Code, [ref] $null, [ref] $null)
            $commands = @($ast.FindAll({ param($node) $node -is [Management.Automation.Language.CommandAst] }, $true) |
                    Where-Object { (Get-Command $_.GetCommandName() -ErrorAction Ignore).Source -eq 'DaprSecurity' })
            $commands | Should -Not -BeNullOrEmpty -Because "example $($example.Number) of $Name ('$($example.FirstLine)') must use a DaprSecurity cmdlet"
            # Bound as PowerShell binds them, so aliases and positional arguments count.
            foreach ($command in $commands) {
                $resolved = Get-Command $command.GetCommandName()
                if ($resolved.CommandType -eq 'Alias') { $resolved = $resolved.ResolvedCommand }
                if ($resolved.Name -ne $Name) { continue }
                [Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true).BoundParameters.Keys | ForEach-Object { "$Name -$_" }
            }
        }
        $ownUses | Should -Not -BeNullOrEmpty -Because "some example of $Name must show $Name with one of its parameters"
    }

    It 'names in each example''s remarks only the namespaces and apps its code uses' {
        # The lab's names and those of the seeds the examples once used: a remark that names one its code does not
        # describes another example (Restart-DaprDeployment -Namespace shop once "restarts every workload in orders").
        $names = 'shop', 'prod-eu', 'prod-us', 'order-api', 'inventory-api', 'notification-service', 'orders', 'checkout', 'prod-canary', 'team-*', 'prod-orders'
        $stale = foreach ($example in $Examples) {
            foreach ($name in $names) {
                $word = "(?<![\w-])$([regex]::Escape($name))(?![\w-])"
                if ($example.Remarks -match $word -and $example.Code -notmatch $word) { "example $($example.Number) names $name" }
            }
        }
        $stale | Should -BeNullOrEmpty
    }

    Context 'examples against the lab' {
        BeforeAll {
            # A copy of the lab's working directory each, so one cmdlet's file edits never reach the next one's examples.
            $workDirectory = [IO.Path]::Combine($lab.Directory, $Name)
            Copy-Item -Recurse -LiteralPath $lab.WorkDirectory -Destination $workDirectory
            $session = New-UserSession -WorkingDirectory $workDirectory
        }

        AfterAll {
            if ($session) { $session.Dispose() }
        }

        It 'example <Number> runs: <FirstLine>' -ForEach $Examples {
            if ($Skip) {
                Set-ItResult -Skipped -Because "its help source says: $Skip"
                return
            }
            Invoke-DocumentedExample $session $Code -Description "Example $Number of $Cmdlet ('$FirstLine')"
        }
    }
}

Describe 'Get-Help on screen' {
    It 'shows the examples with their headings and remarks' {
        $screen = Get-Help Get-DaprContext -Examples | Out-String -Width 120
        $screen | Should -Match 'Lists the contexts of your kubeconfig without contacting any cluster\.'
        $screen | Should -Match '-{10,} Example 1 -{10,}'
        $screen | Should -Match 'Get-DaprContext -Current'
    }
}

Describe 'Parameters that Restart-DaprDeployment and Update-DaprTrustBundle share' {
    It '-<Parameter> has one help text and the same validation in both' -ForEach @(
        @{ Parameter = 'Canary'; Bad = 'Not_A_Namespace'; ErrorId = 'NamespaceNameInvalid*' }
        @{ Parameter = 'Wave'; Bad = '0%'; ErrorId = 'ParameterArgumentValidationError*' }
        @{ Parameter = 'ThrottleLimit'; Bad = 0; ErrorId = 'ParameterArgumentValidationError*' }
    ) {
        $restart = (Get-Help Restart-DaprDeployment -Parameter $Parameter).Description.Text
        $restart | Should -Not -BeNullOrEmpty
        (Get-Help Update-DaprTrustBundle -Parameter $Parameter).Description.Text | Should -BeExactly $restart
        foreach ($command in 'Restart-DaprDeployment', 'Update-DaprTrustBundle') {
            $metadata = (Get-Command $command).Parameters[$Parameter]
            @($metadata.ParameterSets.Keys) | Should -Be '__AllParameterSets' -Because "-$Parameter of $command is in every parameter set"
            $metadata.ParameterSets['__AllParameterSets'].Position | Should -BeLessThan 0 -Because 'it is named, not positional'
            # Nothing else is wrong with the command line: Restart-DaprDeployment -Namespace shop, Update-DaprTrustBundle -RestartOnly.
            $arguments = @{ $Parameter = $Bad; WhatIf = $true; ($command -eq 'Restart-DaprDeployment' ? 'Namespace' : 'RestartOnly') = ($command -eq 'Restart-DaprDeployment' ? 'shop' : $true) }
            { & $command @arguments -ErrorAction Stop } | Should -Throw -ErrorId $ErrorId -Because "-$Parameter $Bad is refused by $command before it does anything"
        }
    }
}
