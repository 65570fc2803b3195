# The scope cmdlets on manifest files (-Path), as in a pull-request pipeline: no cluster, and edits that change only the
# scopes lines, checked with git diff as a reviewer sees them. The manifests are the lab's ./deploy (namespace shop).

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    Import-Module (Get-ModuleManifestPath) -Force
    $lab = Start-DaprLab -Configuration (Get-TestConfiguration)
    $deploy = [IO.Path]::Combine($lab.WorkDirectory, 'deploy')
    # No kubeconfig at all: nothing here may need a cluster.
    $kubeconfigBefore = $env:KUBECONFIG
    $env:KUBECONFIG = [IO.Path]::Combine($lab.Directory, 'no-such-kubeconfig')

    # A fresh copy of the lab's manifests for one test; returns its folder.
    function New-Deploy {
        $folder = [IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'))
        Copy-Item -Recurse -LiteralPath $deploy -Destination $folder
        $folder
    }

    function Read-Text([string] $Path) { [IO.File]::ReadAllText($Path) }

    # The lines git diff shows removed (-) and added (+) from text $Before to the file $Path now.
    function Get-LineDiff([string] $Before, [string] $Path) {
        $old = [IO.Path]::Combine($TestDrive, 'before.yaml')
        [IO.File]::WriteAllText($old, $Before)
        $lines = @(git diff --no-index --no-color --unified=0 -- $old $Path | Where-Object { $_ -match '^[-+](?![-+]{2} )' })
        [pscustomobject]@{
            Removed = @($lines | Where-Object { $_.StartsWith('-') } | ForEach-Object { $_.Substring(1) })
            Added   = @($lines | Where-Object { $_.StartsWith('+') } | ForEach-Object { $_.Substring(1) })
        }
    }
}

AfterAll {
    $env:KUBECONFIG = $kubeconfigBefore
    if ($lab) { $lab | Stop-DaprLab }
}

Describe 'Scopes in manifest files' {
    It 'scopes the guide''s three services from an all-unscoped start, verified with the access matrix' {
        $dir = New-Deploy
        $statestore = [IO.Path]::Combine($dir, 'components', 'statestore.yaml')
        $pubsub = [IO.Path]::Combine($dir, 'components', 'pubsub.yaml')
        $before = @{ statestore = Read-Text $statestore; pubsub = Read-Text $pubsub; app = Read-Text ([IO.Path]::Combine($dir, 'apps', 'order-api.yaml')) }

        Add-DaprComponentScope -Path $dir -Name statestore -AppId order-api, inventory-api
        Add-DaprComponentScope -Path $dir -Name pubsub -AppId order-api, notification-service
        $pivot = Get-DaprAccessMatrix -Path $dir -Pivot

        $pivot | ForEach-Object { "$($_.AppId): pubsub=$($_.pubsub) statestore=$($_.statestore)" } |
            Should -Be @('inventory-api: pubsub=False statestore=True', 'notification-service: pubsub=True statestore=False', 'order-api: pubsub=True statestore=True')
        $pivot[0].PSObject.TypeNames[0] | Should -Be 'DaprSecurity.Output.DaprAccessPivotRow'
        $table = Get-DaprAccessMatrix -Path $dir -Pivot | Out-String -Width 80
        $table | Should -Match 'Namespace\s+AppId\s+pubsub\s+statestore'
        $table | Should -Match 'shop\s+notification-service\s+True\s+False'
        (Get-DaprAccessMatrix -Path $dir -AppId notification-service | Where-Object Component -eq pubsub).Detail | Should -Be 'publish: all topics; subscribe: all topics'
        $diff = Get-LineDiff $before.statestore $statestore
        $diff.Removed | Should -BeNullOrEmpty
        # In the file's own style: its lists start at the indent of their key.
        $diff.Added | Should -Be @('scopes:', '- order-api', '- inventory-api')
        (Get-LineDiff $before.pubsub $pubsub).Added | Should -Be @('scopes:', '- order-api', '- notification-service')
        Read-Text ([IO.Path]::Combine($dir, 'apps', 'order-api.yaml')) | Should -BeExactly $before.app
    }

    It 'changes only scopes lines with Set and Remove, keeping comments, quotes and every other byte' {
        $dir = New-Deploy
        $path = [IO.Path]::Combine($dir, 'components', 'statestore.yaml')
        [IO.File]::AppendAllText($path, "scopes:`n  # API first`n  - 'order-api'`n  - legacy-api   # retire`n")
        $before = Read-Text $path

        Set-DaprComponentScope -Path $dir -Name statestore -AppId order-api, inventory-api
        Remove-DaprComponentScope -Path $dir -Name statestore -AppId order-api

        $diff = Get-LineDiff $before $path
        $diff.Removed | Should -Be @("  - 'order-api'", '  - legacy-api   # retire')
        $diff.Added | Should -Be @('  - inventory-api')
    }

    It 'describes each change with -WhatIf, with file and line, and writes nothing' {
        $dir = New-Deploy
        $path = [IO.Path]::Combine($dir, 'components', 'statestore.yaml')
        $before = [IO.File]::ReadAllBytes($path)

        $screen = Invoke-Pwsh -Script "Import-Module '$(Get-ModuleManifestPath)'; Set-DaprComponentScope -Path '$dir' -Name * -AppId order-api -WhatIf"

        [IO.File]::ReadAllBytes($path) | Should -Be $before
        $screen.Output | Should -Match ([regex]::Escape("What if: Performing the operation `"Set scopes to order-api (currently none: every app in the namespace)`" on target `"component shop/statestore in $($path):1`""))
        $screen.Output | Should -Match 'component shop/pubsub in'
    }

    It 'refuses to remove the last scope (which would open the component to every app) unless -Force' {
        $dir = New-Deploy
        $path = [IO.Path]::Combine($dir, 'components', 'statestore.yaml')
        [IO.File]::AppendAllText($path, "scopes: [order-api]`n")
        $before = Read-Text $path

        $refused = Invoke-Collecting { Remove-DaprComponentScope -Path $dir -Name statestore -AppId order-api }
        $unchanged = Read-Text $path
        $forced = Remove-DaprComponentScope -Path $dir -Name statestore -AppId order-api -Force -PassThru

        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -Be 'ComponentScopeWouldUnscope,DaprSecurity.Commands.Scopes.RemoveDaprComponentScopeCommand'
        $refused.Errors[0].TargetObject | Should -Be 'shop/statestore'
        $unchanged | Should -BeExactly $before
        $forced.IsScoped | Should -BeFalse
        (Get-LineDiff $before $path).Removed | Should -Be @('scopes: [order-api]')
    }

    It 'reports malformed YAML and a duplicate key with file and line, skips other kinds, and writes nothing' {
        $dir = [IO.Path]::Combine($TestDrive, 'bad')
        $null = New-Item -ItemType Directory $dir
        $broken = [IO.Path]::Combine($dir, 'broken.yaml')
        $duplicate = [IO.Path]::Combine($dir, 'duplicate.yaml')
        $other = [IO.Path]::Combine($dir, 'configmap.yaml')
        [IO.File]::WriteAllText($broken, "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata: {name: statestore, namespace: shop`nscopes: [a]`n")
        [IO.File]::WriteAllText($duplicate, "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata:`n  name: statestore`n  namespace: shop`n  name: pubsub`n")
        [IO.File]::WriteAllText($other, "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: statestore`n  namespace: shop`n")
        $snapshot = @{}
        foreach ($file in $broken, $duplicate, $other) { $snapshot[$file] = [IO.File]::ReadAllBytes($file) }

        $result = Invoke-Collecting { Add-DaprComponentScope -Path $dir -Name statestore -AppId order-api }

        $result.Errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Should -Be @('ManifestInvalidYaml', 'ManifestDuplicateKey', 'ComponentNotFound')
        $result.Errors[0].Exception.Message | Should -BeLike "*$($broken):*"
        $result.Errors[1].Exception.Message | Should -BeLike "*$($duplicate):6:*"
        foreach ($file in $snapshot.Keys) { [IO.File]::ReadAllBytes($file) | Should -Be $snapshot[$file] }
        @(Get-ChildItem -Recurse -File $dir) | Should -HaveCount 3
    }

    It 'reads and edits a 5 MB manifest of 20,000 components, changing only its scopes lines' {
        $statestore = Read-Text ([IO.Path]::Combine($deploy, 'components', 'statestore.yaml'))
        $pubsub = Read-Text ([IO.Path]::Combine($deploy, 'components', 'pubsub.yaml'))
        $documents = foreach ($i in 0..19999) { ($statestore, $pubsub)[$i % 2].Replace('shop', ('team-{0:D5}' -f $i)) }
        $dir = [IO.Path]::Combine($TestDrive, 'big')
        $null = New-Item -ItemType Directory $dir
        $path = [IO.Path]::Combine($dir, 'big.yaml')
        [IO.File]::WriteAllText($path, $documents -join "---`n")
        $before = Read-Text $path
        $before.Length | Should -BeGreaterThan 5000000

        @(Get-DaprComponentScope -Path $dir).Count | Should -Be 20000
        $edited = Add-DaprComponentScope -Path $dir -Namespace team-04567 -Name pubsub -AppId order-api -PassThru

        $edited.Scopes | Should -Be @('order-api')
        $diff = Get-LineDiff $before $path
        $diff.Removed | Should -BeNullOrEmpty
        $diff.Added | Should -Be @('scopes:', '- order-api')
    }

    It 'edits 40 components piped from one 2.4 MB manifest with one read and one write of the file' {
        $statestore = Read-Text ([IO.Path]::Combine($deploy, 'components', 'statestore.yaml'))
        $pubsub = Read-Text ([IO.Path]::Combine($deploy, 'components', 'pubsub.yaml'))
        $documents = foreach ($i in 0..9599) { ($statestore, $pubsub)[$i % 2].Replace('shop', ('team-{0:D5}' -f $i)) }
        $path = [IO.Path]::Combine($TestDrive, 'fleet.yaml')
        [IO.File]::WriteAllText($path, $documents -join "---`n")
        $before = Read-Text $path
        $before.Length | Should -BeGreaterThan 2400000
        $piped = @(Get-DaprComponentScope -Path $path | Where-Object { [int]$_.Namespace.Substring(5) % 240 -eq 0 })
        $piped | Should -HaveCount 40

        $run = Invoke-Collecting { $piped | Set-DaprComponentScope -AppId order-api -PassThru -Verbose }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 40
        $run.Output.Scopes | Sort-Object -Unique | Should -Be 'order-api'
        # The engine says so once per write of a file: one write, holding all 40 edits.
        @($run.Verbose | Where-Object { $_ -match 'wrote the new scopes' }) | Should -Be @("$($path): wrote the new scopes of 40 components.")
        $diff = Get-LineDiff $before $path
        $diff.Removed | Should -BeNullOrEmpty
        $diff.Added | Should -Be (@('scopes:', '- order-api') * 40)
        @(Get-ChildItem -Force -LiteralPath $TestDrive -Filter '.fleet.yaml.*.tmp') | Should -BeNullOrEmpty
    }

    It 'edits piped components in the file they were read from' {
        $dir = [IO.Path]::Combine($TestDrive, 'two')
        $shop = [IO.Path]::Combine($dir, 'a', 'statestore.yaml')
        $staging = [IO.Path]::Combine($dir, 'b', 'statestore.yaml')
        $text = Read-Text ([IO.Path]::Combine($deploy, 'components', 'statestore.yaml'))
        $null = New-Item -ItemType Directory ([IO.Path]::GetDirectoryName($shop)), ([IO.Path]::GetDirectoryName($staging))
        [IO.File]::WriteAllText($shop, $text)
        [IO.File]::WriteAllText($staging, $text.Replace('shop', 'staging'))

        $updated = Get-DaprComponentScope -Path $dir -Name statestore | Where-Object Namespace -eq staging | Add-DaprComponentScope -AppId inventory-api -PassThru

        $updated | Should -HaveCount 1
        $updated.Source | Should -Be "$($staging):1"
        $updated.Namespace | Should -Be 'staging'
        Read-Text $shop | Should -BeExactly $text
        Read-Text $staging | Should -Match '- inventory-api\n'
    }

    It 'warns about a misspelled scopes key and an app-id no workload has, with the component as target' {
        $dir = New-Deploy
        [IO.File]::AppendAllText([IO.Path]::Combine($dir, 'components', 'statestore.yaml'), "scope:`n- order-api`n")
        [IO.File]::AppendAllText([IO.Path]::Combine($dir, 'components', 'pubsub.yaml'), "scopes: [order-api, ordr-api]`n")

        $result = Invoke-Collecting { Get-DaprComponentScope -Path $dir }

        $result.Errors | Should -BeNullOrEmpty
        $result.Warnings | Should -HaveCount 2
        $statestore = $result.Warnings | Where-Object { $_ -like "Component 'shop/statestore' (*" }
        $statestore | Should -BeLike "*'scope', which Dapr ignores*"
        $result.Warnings | Where-Object { $_ -like "Component 'shop/pubsub' (*" } | Should -BeLike "*'ordr-api'*"
        Get-DaprComponentScope -Path $dir -WarningAction SilentlyContinue | Sort-Object Name | ForEach-Object { "$($_.Name): $($_.Findings.Code)" } |
            Should -Be @('pubsub: ScopeAppIdUnknown', 'statestore: ScopeKeyMisspelled')
    }
}

Describe 'Manifests where there is no cluster' {
    It 'runs every scope cmdlet on manifests without a kubeconfig; the cluster form says the kubeconfig is missing' {
        $dir = New-Deploy

        $scopes = Get-DaprComponentScope -Path $dir | Set-DaprComponentScope -AppId order-api -PassThru
        $matrix = Get-DaprAccessMatrix -Path $dir -AppId inventory-api
        $cluster = Invoke-Collecting { Get-DaprComponentScope }

        $scopes | Should -HaveCount 2
        $matrix | Should -HaveCount 2
        $matrix.Access | Should -Be @($false, $false)
        $cluster.Errors | Should -HaveCount 1
        $cluster.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KubeConfigNotFound,*'
    }

    It 'makes a path that does not exist an error for that path only' {
        $dir = New-Deploy
        $missing = [IO.Path]::Combine($TestDrive, 'nope')

        $result = Invoke-Collecting { Get-DaprComponentScope -Path $missing, $dir }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ManifestPathNotFound,*'
        $result.Errors[0].TargetObject | Should -Be $missing
        $result.Output | Should -HaveCount 2
    }
}
