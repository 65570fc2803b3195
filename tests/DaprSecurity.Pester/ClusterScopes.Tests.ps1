# Component scopes in a cluster: the *-DaprComponentScope cmdlets and Get-DaprAccessMatrix against the lab, each test
# in a namespace of its own holding the guide's three services and two unscoped components. (Scopes in manifest files
# are ManifestScopes.Tests'.)

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force

    # order-api should use statestore and pubsub, inventory-api only statestore, notification-service only pubsub; all
    # unscoped, written as teams keep manifests in Git (comments, quoting).
    function New-ShopNamespace {
        $ns = "scopes-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $apps = foreach ($app in 'order-api', 'inventory-api', 'notification-service') { Get-DaprLabAppManifest $ns $app }
        Set-DaprLabObject $lab (@($apps) + @"
# Components of the shop. Reviewed by platform-security.
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
  namespace: $ns
spec:
  type: state.redis
  version: v1
  metadata:
    - name: redisHost
      value: "redis-master.$ns.svc.cluster.local:6379"
    - name: redisPassword
      secretKeyRef: {name: redis, key: password}   # never inline
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: pubsub
  namespace: $ns
spec:
  type: pubsub.redis
  version: v1
  metadata:
    - name: redisHost
      value: 'redis-master.$ns.svc.cluster.local:6379'
    - name: publishingScopes
      value: "order-api=orders;notification-service="
"@ -join "`n---`n")
        $ns
    }

    function Set-LabComponent([string] $Name, [string] $Scopes) {
        Set-DaprLabObject $lab "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata: {name: $Name, namespace: $ns}`nspec: {type: state.redis, version: v1}`n$Scopes"
    }

    function Get-LabComponent([string] $Name) { Get-DaprLabObject $lab -Group dapr.io -Version v1alpha1 -Resource components -Namespace $ns -Name $Name }

    # The requests the lab served in namespace $ns that $Where selects (for example the PATCHes of components).
    function Get-LabRequest([scriptblock] $Where) { @(Invoke-DaprLabAdmin $lab GET requests/recent | Where-Object namespace -eq $ns | Where-Object $Where) }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Scopes in a cluster' {
    BeforeEach { $ns = New-ShopNamespace }

    It 'scopes the three-service example from an all-unscoped start, verified with the matrix' {
        $before = Get-DaprAccessMatrix -Namespace $ns | Where-Object { -not $_.Access }

        Set-DaprComponentScope -Namespace $ns -Name statestore -AppId order-api, inventory-api
        Add-DaprComponentScope -Namespace $ns -Name pubsub -AppId order-api
        Get-DaprComponentScope -Namespace $ns -Name pubsub | Add-DaprComponentScope -AppId notification-service

        $before | Should -BeNullOrEmpty
        Get-DaprComponentScope -Namespace $ns | ForEach-Object { "$($_.Name)=$($_.Scopes -join ',')" } |
            Should -Be 'pubsub=order-api,notification-service', 'statestore=order-api,inventory-api'
        Get-DaprAccessMatrix -Namespace $ns -Pivot | ForEach-Object { "$($_.AppId): pubsub=$($_.pubsub) statestore=$($_.statestore)" } |
            Should -Be 'inventory-api: pubsub=False statestore=True', 'notification-service: pubsub=True statestore=False', 'order-api: pubsub=True statestore=True'
        Get-DaprAccessMatrix -Namespace $ns -AppId inventory-api | ForEach-Object { "$($_.Component)=$($_.Reason)" } |
            Should -Be 'pubsub=NotListed', 'statestore=Listed'
        (Get-LabComponent statestore).scopes | Should -Be 'order-api', 'inventory-api'
    }

    It 'evaluates an app-id no workload has yet in every namespace it reads, with -Namespace *, * and a name, a wildcard or a name' {
        $other = New-ShopNamespace
        $reaches = { param($Selection) @(Get-DaprAccessMatrix -Namespace $Selection -AppId new-app | Where-Object Namespace -in $ns, $other | ForEach-Object { "$($_.Namespace)/$($_.Component)=$($_.Reason)" }) }

        $expected = "$ns/pubsub=Unscoped", "$ns/statestore=Unscoped", "$other/pubsub=Unscoped", "$other/statestore=Unscoped" | Sort-Object
        & $reaches '*' | Sort-Object | Should -Be $expected
        & $reaches @('*', $ns) | Sort-Object | Should -Be $expected
        & $reaches 'scopes-*' | Sort-Object | Should -Be $expected
        & $reaches $ns | Should -Be "$ns/pubsub=Unscoped", "$ns/statestore=Unscoped"
    }

    It 'reads the workloads of a namespace once for all the components piped in' {
        $components = Get-DaprComponentScope -Namespace $ns
        $listsBefore = (Get-LabRequest { $_.verb -eq 'list' -and $_.resource -eq 'deployments' }).Count

        $components | Add-DaprComponentScope -AppId order-api

        (Get-LabComponent statestore).scopes | Should -Be 'order-api'
        (Get-LabComponent pubsub).scopes | Should -Be 'order-api'
        (Get-LabRequest { $_.verb -eq 'list' -and $_.resource -eq 'deployments' }).Count - $listsBefore | Should -Be 1
    }

    It 'does not lose an edit someone else makes while Set-DaprComponentScope writes' {
        Set-LabComponent statestore 'scopes: [order-api]'
        # The module's first write is told to come back in a few seconds; someone else edits the component meanwhile.
        Invoke-DaprLabAdmin $lab POST faults @{ kind = 'TooManyRequests'; verb = 'patch'; resource = 'components'; namespace = $ns; times = 1; retryAfterSeconds = 4 }
        $manifest = Get-ModuleManifestPath
        $set = Start-ThreadJob { Import-Module $using:manifest; Set-DaprComponentScope -Namespace $using:ns -Name statestore -AppId order-api, inventory-api -PassThru }
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Get-LabRequest { $_.verb -eq 'patch' -and $_.statusCode -eq 429 }) -and $set.State -in 'NotStarted', 'Running' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-LabRequest { $_.verb -eq 'patch' -and $_.statusCode -eq 429 } | Should -HaveCount 1 -Because 'Set-DaprComponentScope sends its PATCH, which is held'
            $set.State | Should -Be 'Running' -Because 'Set-DaprComponentScope waits out the Retry-After'

            Set-LabComponent statestore 'scopes: [order-api, audit-api]'
            $result = $set | Receive-Job -Wait -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors
        } finally {
            $set | Remove-Job -Force
            Invoke-DaprLabAdmin $lab DELETE faults
        }

        $errors | Should -BeNullOrEmpty
        (Get-LabComponent statestore).scopes | Should -Be 'order-api', 'audit-api', 'inventory-api'
        $result.Scopes | Should -Be 'order-api', 'audit-api', 'inventory-api'
        Get-LabRequest { $_.resource -eq 'components' -and $_.method -eq 'PATCH' -and $_.statusCode -eq 409 } | Should -HaveCount 1
        $warnings | Where-Object { "$_" -like '*changed by someone else*audit-api*' -or "$_" -like '*audit-api*changed by someone else*' } | Should -Not -BeNullOrEmpty
    }

    It 'shows a warning from a worker thread while the command still waits on the cluster' {
        # The identity may not list workloads, so the scope read warns (from the task listing apps) while the component
        # list, started alongside, hangs until the command is stopped.
        $user = Invoke-DaprLabAdmin $lab POST users @{ name = "no-workloads-$ns"; forbidden = @(@{ verbs = 'list'; resources = 'deployments,statefulsets,daemonsets' }) }
        $kubeconfig = [IO.Path]::Combine($TestDrive, "no-workloads-$ns")
        [IO.File]::WriteAllText($kubeconfig, $user.kubeconfig)
        Invoke-DaprLabAdmin $lab POST faults @{ kind = 'Hang'; resource = 'components'; namespace = $ns }
        $manifest = Get-ModuleManifestPath
        $read = Start-ThreadJob { Import-Module $using:manifest; Get-DaprComponentScope -Namespace $using:ns -KubeConfig $using:kubeconfig }
        try {
            $warned = { @($read.Warning | Where-Object { "$($_.Message)".StartsWith('Scopes are not checked against app-ids') }).Count -gt 0 }
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (& $warned) -and $read.State -in 'NotStarted', 'Running' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }

            & $warned | Should -BeTrue -Because 'the warning reaches the warning stream while the component list hangs'
            $read.State | Should -Be 'Running' -Because 'the command still waits on the hanging component list'
        } finally {
            $read | Stop-Job
            $read | Remove-Job -Force
            Invoke-DaprLabAdmin $lab DELETE faults
        }
    }

    It 'changes nothing in the cluster with -WhatIf or when it refuses' {
        Set-LabComponent statestore 'scopes: [order-api]'
        $version = (Get-LabComponent statestore).metadata.resourceVersion

        $whatIf = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script "Import-Module '$(Get-ModuleManifestPath)'; Set-DaprComponentScope -Namespace $ns -Name statestore -AppId inventory-api -WhatIf"
        $refused = Invoke-Collecting { Remove-DaprComponentScope -Namespace $ns -Name statestore -AppId order-api }
        $missing = Invoke-Collecting { Add-DaprComponentScope -Namespace $ns -Name nope -AppId inventory-api }

        $whatIf.Output | Should -BeLike "*Performing the operation `"Set scopes to inventory-api (currently order-api)`" on target `"component $ns/statestore`"*"
        $refused.Errors.FullyQualifiedErrorId | Should -BeLike 'ComponentScopeWouldUnscope,*'
        { Add-DaprComponentScope -Namespace $ns -Name statestore -AppId Inventory_API } | Should -Throw -ErrorId 'InvalidAppId,DaprSecurity.Commands.Scopes.AddDaprComponentScopeCommand'
        $missing.Errors | Should -HaveCount 1
        $missing.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ComponentNotFound,*'
        $missing.Errors[0].TargetObject | Should -Be 'nope'
        (Get-LabComponent statestore).metadata.resourceVersion | Should -Be $version
    }

    It 'warns about a misspelled scopes field and app ids no workload has' {
        Set-LabComponent typo 'scope: [order-api]'
        Set-LabComponent stale 'scopes: [order-api, retired-api]'

        $result = Invoke-Collecting { Get-DaprComponentScope -Namespace $ns -Name typo, stale }

        $result.Errors | Should -BeNullOrEmpty
        $result.Warnings | Should -HaveCount 2
        $result.Warnings | Where-Object { $_.StartsWith("Component '$ns/typo' has 'scope', which Dapr ignores") -and $_.Contains('every app in its namespace') } | Should -Not -BeNullOrEmpty
        $result.Warnings | Where-Object { $_.StartsWith("Component '$ns/stale' lists 'retired-api'") } | Should -Not -BeNullOrEmpty
        $typo = $result.Output | Where-Object Name -eq typo
        "$($typo.IsScoped) $($typo.Source)" | Should -Be 'False cluster'
    }
}
