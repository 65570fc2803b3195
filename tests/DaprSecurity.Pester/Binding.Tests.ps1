# What binds to what when a user pipes into the cmdlets, against the lab: kubectl objects by their kind (-o json items,
# -o name strings), -Name as the object's own name with errors for names and wildcards that match nothing, and files
# from Get-ChildItem/Get-Item to -Path.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force
    $hasKubectl = [bool] (Get-Command kubectl -CommandType Application -ErrorAction Ignore)

    # The items kubectl gives for a resource, as a user gets them; without kubectl on the PATH the same JSON shape,
    # written out, so the binding is still tested.
    function Get-KubectlItem([string] $Resource, [string] $Namespace, [string] $Name) {
        if ($hasKubectl) {
            $list = kubectl get $Resource -n $Namespace -o json | ConvertFrom-Json
            return @($list.items | Where-Object { -not $Name -or $_.metadata.name -eq $Name })
        }
        $kind = @{ deployments = 'Deployment'; secrets = 'Secret'; components = 'Component'; pods = 'Pod' }[$Resource]
        "{ `"apiVersion`": `"v1`", `"kind`": `"$kind`", `"metadata`": { `"name`": `"$Name`", `"namespace`": `"$Namespace`" } }" | ConvertFrom-Json
    }

    # A Dapr component of namespace shop, as a manifest file has it.
    function Get-ComponentManifest([string] $Name, [string] $Type) {
        "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata:`n  name: $Name`n  namespace: shop`nspec:`n  type: $Type`n  version: v1`n"
    }

    # The error ids the code writes (its errors do not stop it).
    function Get-ErrorIds([scriptblock] $Code) {
        $ErrorActionPreference = 'Continue'
        @(& $Code 2>&1 | Where-Object { $_ -is [Management.Automation.ErrorRecord] } | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
    }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'kubectl objects bind by their kind' {
    It 'Deployment items restart exactly those workloads, never a namespace named like them' {
        $items = Get-KubectlItem deployments shop order-api
        $results = @($items | Restart-DaprDeployment)
        $results.Count | Should -Be 1
        "$($results[0].Namespace)/$($results[0].Name)" | Should -Be 'shop/order-api'
        $results[0].Status | Should -Be 'Restarted'
    }

    It 'every Deployment item of a namespace restarts each workload once' {
        $results = @(Get-KubectlItem deployments prod-eu | Restart-DaprDeployment)
        @($results | ForEach-Object { "$($_.Namespace)/$($_.Name)" } | Sort-Object) | Should -Be @('prod-eu/inventory-api', 'prod-eu/notification-service', 'prod-eu/order-api')
    }

    It 'Namespace items and namespace/<name> strings bind as namespaces' {
        $namespaceItem = if ($hasKubectl) { kubectl get ns prod-us -o json | ConvertFrom-Json } else { '{ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "prod-us" } }' | ConvertFrom-Json }
        @($namespaceItem | Get-DaprDeployment).Namespace | Select-Object -Unique | Should -Be 'prod-us'
        @('namespace/shop' | Get-DaprDeployment).Namespace | Select-Object -Unique | Should -Be 'shop'
        @('namespace/shop', 'namespace/prod-us' | Get-DaprNamespace).Name | Sort-Object | Should -Be @('prod-us', 'shop')
    }

    It 'Secret items are token secrets: written and removed where they are' {
        $token = New-DaprAppToken
        $token | Set-DaprTokenSecret -Namespace prod-us -SecretName custom-token
        $secret = Get-KubectlItem secrets prod-us custom-token
        $written = @($secret | Set-DaprTokenSecret -Token (New-DaprAppToken) -PassThru)
        "$($written.Namespace)/$($written.SecretName)" | Should -Be 'prod-us/custom-token'
        $written.Action | Should -Be 'Updated'
        $removed = @($secret | Remove-DaprTokenSecret -Confirm:$false -PassThru)
        "$($removed.Namespace)/$($removed.SecretName)" | Should -Be 'prod-us/custom-token'
        Get-ErrorIds { Get-DaprTokenSecret -Namespace prod-us -Name custom-token } | Should -Be 'TokenSecretNotFound'
    }

    It 'Get-DaprTokenSecret output pipes into Remove-DaprTokenSecret as the secrets it lists' {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-eu -SecretName other-token
        $removed = @(Get-DaprTokenSecret -Namespace prod-eu -Name other-token | Remove-DaprTokenSecret -Confirm:$false -PassThru)
        "$($removed.Namespace)/$($removed.SecretName)" | Should -Be 'prod-eu/other-token'
    }

    It 'Component items are components: their scopes change where they are' {
        $component = Get-KubectlItem components prod-us pubsub
        $changed = @($component | Set-DaprComponentScope -AppId order-api -PassThru)
        "$($changed.Namespace)/$($changed.Name)" | Should -Be 'prod-us/pubsub'
        (Get-DaprComponentScope -Namespace prod-us -Name pubsub).Scopes | Should -Be @('order-api')
    }

    It 'an item of a kind the cmdlet does not take is an error naming it, and nothing is done' {
        $pod = if ($hasKubectl) { @((kubectl get pods -n shop -o json | ConvertFrom-Json).items)[0] } else { '{ "kind": "Pod", "metadata": { "name": "order-api-0", "namespace": "shop" } }' | ConvertFrom-Json }
        $errors = $null
        $pod | Restart-DaprDeployment -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match "Pod shop/$([regex]::Escape($pod.metadata.name))' is a Pod, not a namespace"

        $deployment = Get-KubectlItem deployments shop order-api
        $errors = $null
        $deployment | Set-DaprTokenSecret -Token (New-DaprAppToken) -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception.Message | Should -Match "Deployment shop/order-api' is a Deployment, not a namespace"
        Get-ErrorIds { Get-DaprTokenSecret -Namespace order-api } | Should -Be 'NamespaceNotFound'   # no namespace was made of it
    }

    It 'an item of a kind a reader does not take is an error naming the kinds that reader takes' -ForEach @(
        @{ Reader = 'Get-DaprDeployment'; Kinds = 'Namespace, Deployment, StatefulSet, DaemonSet' }
        @{ Reader = 'Get-DaprTokenSecret'; Kinds = 'Namespace, Secret' }
        @{ Reader = 'Get-DaprComponentScope'; Kinds = 'Namespace, Component' }
        @{ Reader = 'Get-DaprNamespace'; Kinds = 'Namespace' }
        @{ Reader = 'Get-DaprAccessMatrix'; Kinds = 'Namespace' }
    ) {
        $pod = if ($hasKubectl) { @((kubectl get pods -n shop -o json | ConvertFrom-Json).items)[0] } else { '{ "kind": "Pod", "metadata": { "name": "order-api-0", "namespace": "shop" } }' | ConvertFrom-Json }
        { $pod | & $Reader -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*' -ExpectedMessage "*is a Pod,*kubectl objects (kubectl get -o json | ConvertFrom-Json): $Kinds."
    }

    It 'kubectl -o name strings give the name where the kind fits, and an error where it does not' {
        $names = if ($hasKubectl) { kubectl get deploy -n shop -o name } else { 'deployment.apps/inventory-api', 'deployment.apps/notification-service', 'deployment.apps/order-api' }
        @(Get-DaprDeployment -Namespace shop -Name $names).Name | Sort-Object | Should -Be @('inventory-api', 'notification-service', 'order-api')
        @(Restart-DaprDeployment -Namespace shop -Name deployment.apps/order-api).Name | Should -Be 'order-api'
        { Get-DaprDeployment -Namespace shop -Name secret/app-api-token -ErrorAction Stop } | Should -Throw '*names a Secret*'
        $errors = $null
        'deployment.apps/order-api' | Restart-DaprDeployment -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception.Message | Should -Match 'does not say its namespace'
    }
}

Describe 'Readers given kubectl items of their own kind select exactly those objects' {
    It 'Deployment items into Get-DaprDeployment: those workloads, each once, not their whole namespaces' {
        $items = @(Get-KubectlItem deployments shop order-api) + @(Get-KubectlItem deployments prod-eu inventory-api)
        @($items + $items | Get-DaprDeployment | ForEach-Object { "$($_.Namespace)/$($_.Name)" }) | Sort-Object | Should -Be @('prod-eu/inventory-api', 'shop/order-api')
    }

    It 'Secret items into Get-DaprTokenSecret: those secrets' {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-us
        New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-us -SecretName second-token
        @(Get-KubectlItem secrets prod-us second-token | Get-DaprTokenSecret | ForEach-Object { "$($_.Namespace)/$($_.SecretName)" }) | Should -Be 'prod-us/second-token'
        Remove-DaprTokenSecret -Namespace prod-us -SecretName second-token -Confirm:$false
    }

    It 'Component items into Get-DaprComponentScope: those components' {
        @(Get-KubectlItem components shop pubsub | Get-DaprComponentScope | ForEach-Object { "$($_.Namespace)/$($_.Name)" }) | Should -Be 'shop/pubsub'
    }

    It 'a reader''s own output selects itself; a workload piped into another reader still names its namespace' {
        @(Get-DaprDeployment -Namespace shop -Name order-api | Get-DaprDeployment).Name | Should -Be 'order-api'
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop
        @(Get-DaprDeployment -Namespace shop -Name order-api | Get-DaprTokenSecret -Name app-api-token).Namespace | Should -Be 'shop'
    }
}

Describe '-Name is the object''s own name, and never matches nothing in silence' {
    It 'Get-DaprTokenSecret -Name: exact names and wildcards select secrets; unmatched ones are TokenSecretNotFound naming them' {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop
        @(Get-DaprTokenSecret -Namespace shop -Name app-*).SecretName | Should -Be 'app-api-token'
        foreach ($name in 'nope', 'x*') {
            $errors = $null
            Get-DaprTokenSecret -Name $name -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            ($errors[0].FullyQualifiedErrorId -split ',')[0] | Should -Be 'TokenSecretNotFound'
            $errors[0].TargetObject | Should -Be $name
            $errors[0].Exception.Message | Should -Match ([regex]::Escape("'$name'"))
        }
    }

    It 'a workload, component or context wildcard that matches nothing is an error naming the pattern' {
        Get-ErrorIds { Get-DaprDeployment -Namespace shop -Name nope* } | Should -Be 'WorkloadNotFound'
        Get-ErrorIds { Restart-DaprDeployment -Namespace shop -Name nope* } | Should -Be 'WorkloadNotFound'
        Get-ErrorIds { Get-DaprComponentScope -Namespace shop -Name nope* } | Should -Be 'ComponentNotFound'
        Get-ErrorIds { Set-DaprComponentScope -Namespace shop -Name nope* -AppId order-api } | Should -Be 'ComponentNotFound'
        Get-ErrorIds { Get-DaprContext -Name nope* } | Should -Be 'KubeContextNotMatched'
    }

    It 'Set-DaprComponentScope -Namespace takes one namespace: a wildcard is NamespaceSingleOnly and nothing changes' {
        $errors = $null
        Set-DaprComponentScope -Namespace shop* -Name statestore -AppId order-api -ErrorVariable errors -ErrorAction SilentlyContinue
        ($errors[0].FullyQualifiedErrorId -split ',')[0] | Should -Be 'NamespaceSingleOnly'
        $errors[0].Exception.Message | Should -Match ([regex]::Escape("'shop*'"))
        (Get-DaprComponentScope -Namespace shop -Name statestore).IsScoped | Should -BeFalse
    }
}

Describe '-Namespace on the command line with piped objects that carry their own namespace' {
    It 'an object from a namespace -Namespace does not select is NamespaceConflict naming it, and nothing is done' -ForEach @(
        @{ Command = { Get-DaprDeployment -Namespace shop -Name order-api | Restart-DaprDeployment -Namespace prod-eu -Confirm:$false }; Target = 'Deployment shop/order-api' }
        @{ Command = { Get-DaprTokenSecret -Namespace shop | Remove-DaprTokenSecret -Namespace prod-eu -Confirm:$false }; Target = 'shop/app-api-token' }
        @{ Command = { Get-DaprTokenSecret -Namespace shop | Set-DaprTokenSecret -Namespace prod-eu -Token (New-DaprAppToken) }; Target = 'shop/app-api-token' }
        @{ Command = { Get-DaprComponentScope -Namespace shop -Name pubsub | Set-DaprComponentScope -Namespace prod-eu -AppId order-api }; Target = 'shop/pubsub' }
        @{ Command = { Get-DaprDeployment -Namespace shop -Name order-api | Get-DaprTokenSecret -Namespace prod-eu }; Target = 'Deployment shop/order-api' }
    ) {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop, prod-eu
        $before = Get-DaprTokenSecret -Namespace shop, prod-eu | ForEach-Object { "$($_.Namespace)=$($_.Fingerprint)" }
        $ErrorActionPreference = 'Continue'
        $all = @(& $Command 2>&1)
        $errors = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })

        $all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 1
        ($errors[0].FullyQualifiedErrorId -split ',')[0] | Should -Be 'NamespaceConflict'
        "$($errors[0].TargetObject)" | Should -Be 'shop' -Because "the piped $Target is in shop"
        $errors[0].Exception.Message | Should -Match "in namespace 'shop', but -Namespace names 'prod-eu'"
        Get-DaprTokenSecret -Namespace shop, prod-eu | ForEach-Object { "$($_.Namespace)=$($_.Fingerprint)" } | Should -Be $before
        (Get-DaprComponentScope -Namespace prod-eu -Name pubsub).IsScoped | Should -BeFalse
    }

    It 'a reader given objects of its own kind with -Namespace or -Name reads those they select, and each other is an error naming it' -ForEach @(
        @{ Command = { Get-DaprDeployment | Get-DaprDeployment -Namespace prod-e* }; Read = @('prod-eu/inventory-api', 'prod-eu/notification-service', 'prod-eu/order-api'); ErrorIds = @('NamespaceConflict') * 6 }
        @{ Command = { Get-KubectlItem deployments shop | Get-DaprDeployment -Namespace prod-* }; Read = @(); ErrorIds = @('NamespaceConflict') * 3 }
        @{ Command = { @(Get-KubectlItem deployments shop) + @(Get-KubectlItem deployments prod-eu) | Get-DaprDeployment -Name order* }; Read = @('prod-eu/order-api', 'shop/order-api'); ErrorIds = @('NameConflict') * 4 }
        @{ Command = { Get-DaprDeployment -Name order-api | Get-DaprDeployment -Namespace prod-* }; Read = @('prod-eu/order-api', 'prod-us/order-api'); ErrorIds = @('NamespaceConflict') }
        @{ Command = { Get-DaprComponentScope -Namespace shop | Get-DaprComponentScope -Name pub* }; Read = @('shop/pubsub'); ErrorIds = @('NameConflict') }
        @{ Command = { Get-DaprTokenSecret -Namespace shop, prod-eu | Get-DaprTokenSecret -Name app-* }; Read = @('prod-eu/app-api-token', 'shop/app-api-token'); ErrorIds = @('NameConflict') * 2 }
        @{ Command = { Get-DaprNamespace shop, prod-eu | Get-DaprNamespace -Name prod-* }; Read = @('/prod-eu'); ErrorIds = @('NamespaceConflict') }
    ) {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop, prod-eu
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop, prod-eu -Kind Api
        $ErrorActionPreference = 'Continue'
        $all = @(& $Command 2>&1)
        $errors = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.Namespace)/$($_.Name)$($_.SecretName)" } | Sort-Object) | Should -Be $Read
        @($errors | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] } | Sort-Object) | Should -Be $ErrorIds
        $errors | Where-Object { $_.FullyQualifiedErrorId -like 'NameConflict*' } | ForEach-Object { $_.Exception.Message | Should -Match "but -Name names '(order|pub|app-)\*'" }
    }

    It 'a piped object of another kind is read in its own namespace only, even when -Namespace names more' {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop, prod-eu, prod-us
        @(Get-DaprDeployment -Namespace prod-eu -Name order-api | Get-DaprTokenSecret -Namespace prod-* -Name app-api-token).Namespace | Should -Be 'prod-eu'
        @(Get-DaprNamespace prod-us | Get-DaprDeployment -Namespace prod-*).Namespace | Select-Object -Unique | Should -Be 'prod-us'
        @(Get-DaprNamespace prod-us | Get-DaprAccessMatrix -Namespace prod-*).Namespace | Select-Object -Unique | Should -Be 'prod-us'
    }

    It 'an object whose namespace -Namespace selects (by name or wildcard) is no conflict' {
        @(Get-DaprDeployment -Namespace shop -Name order-api | Get-DaprTokenSecret -Namespace s* -Name app-api-token).Namespace | Should -Be 'shop'
    }
}

Describe 'Files bind to -Path' {
    BeforeAll {
        $deploy = New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'deploy'))
        Set-Content ([IO.Path]::Combine($deploy, 'components.yaml')) (Get-ComponentManifest statestore state.redis)
        Set-Content ([IO.Path]::Combine($deploy, 'orders.yaml')) @'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  template:
    metadata:
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: orders
'@
    }

    It 'Get-ChildItem and Get-Item output reads the manifests, not the cluster' {
        $fromFiles = @(Get-ChildItem $deploy | Get-DaprComponentScope)
        $fromFiles.Count | Should -Be 1
        $fromFiles[0].Source | Should -BeLike '*components.yaml:*'
        $fromFolder = @(Get-Item $deploy | Get-DaprComponentScope)
        $fromFolder.Source | Should -Be $fromFiles.Source
    }

    It 'piped files are evaluated together: the app of one file meets the component of another' {
        $entries = @(Get-ChildItem $deploy | Get-DaprAccessMatrix)
        @($entries | ForEach-Object { "$($_.Namespace) $($_.AppId) $($_.Component) $($_.Access)" }) | Should -Be @('shop orders statestore True')
    }

    It 'Get-Item output edits the manifest it names' {
        Get-Item ([IO.Path]::Combine($deploy, 'components.yaml')) | Set-DaprComponentScope -Name statestore -AppId orders
        Get-Content -Raw ([IO.Path]::Combine($deploy, 'components.yaml')) | Should -Match 'scopes:\s+- orders'
        (Get-DaprComponentScope -Namespace shop -Name statestore).IsScoped | Should -BeFalse -Because 'the cluster is not touched'
    }

    It 'Test-DaprSecurity audits piped files' {
        $results = @(Get-ChildItem $deploy | Test-DaprSecurity -IncludePass)
        $results | Should -Not -BeNullOrEmpty
        $results | Where-Object Path | Should -Not -BeNullOrEmpty
        $results | Where-Object Context | Should -BeNullOrEmpty -Because 'files are audited, not a cluster'
    }
}

Describe 'Piped components with -Namespace stay whole, from the cluster or from their files' {
    BeforeAll {
        $files = New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'scoped'))
        Set-Content ([IO.Path]::Combine($files, 'components.yaml')) ((Get-ComponentManifest statestore state.redis), (Get-ComponentManifest pubsub pubsub.redis) -join "---`n")
    }

    It 'cluster components piped back with -Namespace: the same namespace selects exactly them, another is NamespaceConflict' {
        $ErrorActionPreference = 'Continue'
        $same = @(Get-DaprComponentScope -Namespace shop -Name pubsub | Get-DaprComponentScope -Namespace shop 2>&1)
        @($same | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { $_.FullyQualifiedErrorId } else { "$($_.Namespace)/$($_.Name) $($_.Source)" } }) | Should -Be @('shop/pubsub cluster')

        $all = @(Get-DaprComponentScope | Get-DaprComponentScope -Namespace shop 2>&1)
        @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.Namespace)/$($_.Name)" } | Sort-Object) | Should -Be @('shop/pubsub', 'shop/statestore')
        $conflicts = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        @($conflicts | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] } | Select-Object -Unique) | Should -Be 'NamespaceConflict'
        @($conflicts | ForEach-Object { "$($_.TargetObject)" } | Sort-Object -Unique) | Should -Be @('prod-eu', 'prod-us')
    }

    It 'manifest components piped back are read again from their files, with or without -Namespace' {
        $ErrorActionPreference = 'Continue'
        $piped = @(Get-DaprComponentScope -Path $files -Name statestore)
        foreach ($command in { $piped | Get-DaprComponentScope }, { $piped | Get-DaprComponentScope -Namespace shop }) {
            $read = @(& $command 2>&1)
            @($read | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { $_.FullyQualifiedErrorId } else { "$($_.Namespace)/$($_.Name) $($_.Source)" } }) |
                Should -Be @("shop/statestore $([IO.Path]::Combine($files, 'components.yaml')):1") -Because "$command reads the file, not the cluster"
        }
        $errors = Get-ErrorIds { $piped | Get-DaprComponentScope -Namespace prod-eu }
        $errors | Should -Be 'NamespaceConflict'

        $gone = New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'gone'))
        $file = [IO.Path]::Combine($gone, 'components.yaml')
        Set-Content $file ((Get-ComponentManifest statestore state.redis), (Get-ComponentManifest pubsub pubsub.redis) -join "---`n")
        $stale = @(Get-DaprComponentScope -Path $gone -Name statestore)
        Set-Content $file (Get-ComponentManifest pubsub pubsub.redis)
        $read = @($stale | Get-DaprComponentScope 2>&1)
        @($read | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { "$(($_.FullyQualifiedErrorId -split ',')[0]) $($_.TargetObject)" } else { "$($_.Namespace)/$($_.Name)" } }) |
            Should -Be @('ComponentNotFound shop/statestore') -Because 'a component no longer in its file is an error, and the file''s other component is not read in its place'
    }

    It 'Get-ChildItem and Get-Item output with -Namespace or -Name still reads the files' {
        @(Get-ChildItem $files | Get-DaprComponentScope -Namespace shop).Source | Sort-Object | Should -Be @("$([IO.Path]::Combine($files, 'components.yaml')):1", "$([IO.Path]::Combine($files, 'components.yaml')):10")
        @(Get-Item $files | Get-DaprComponentScope -Name pubsub).Source | Should -Be "$([IO.Path]::Combine($files, 'components.yaml')):10"
    }

    It 'a manifest component piped into Set-DaprComponentScope -Namespace edits its file, never the cluster' {
        Get-DaprComponentScope -Path $files -Name pubsub | Set-DaprComponentScope -Namespace shop -AppId order-api
        (Get-DaprComponentScope -Path $files -Name pubsub).Scopes | Should -Be @('order-api')
        (Get-DaprComponentScope -Namespace shop -Name pubsub).IsScoped | Should -BeFalse -Because 'the cluster is not touched'
        Get-ErrorIds { Get-DaprComponentScope -Path $files -Name statestore | Set-DaprComponentScope -Namespace prod-eu -AppId order-api } | Should -Be 'NamespaceConflict'
        (Get-DaprComponentScope -Path $files -Name statestore).IsScoped | Should -BeFalse
    }

    It 'manifest components piped into Get-DaprAccessMatrix are ManifestObjectPiped, never the cluster''s matrix' {
        foreach ($command in { Get-DaprComponentScope -Path $files | Get-DaprAccessMatrix }, { Get-DaprComponentScope -Path $files | Get-DaprAccessMatrix -Namespace shop }) {
            $ErrorActionPreference = 'Continue'
            $read = @(& $command 2>&1)
            @($read | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { "$(($_.FullyQualifiedErrorId -split ',')[0]) $($_.TargetObject)" } else { "$($_.Namespace) $($_.AppId) $($_.Component)" } }) |
                Should -Be @(1..2 | ForEach-Object { "ManifestObjectPiped $([IO.Path]::Combine($files, 'components.yaml'))" }) -Because "$command has only the components' file, which names no app"
        }
    }

    It 'cluster components piped into Get-DaprAccessMatrix -Namespace read that namespace once' {
        $rows = @(Get-DaprComponentScope -Namespace shop | Get-DaprAccessMatrix -Namespace shop)
        @($rows | ForEach-Object { "$($_.Namespace) $($_.AppId) $($_.Component)" } | Sort-Object) | Should -Be @(Get-DaprAccessMatrix -Namespace shop | ForEach-Object { "$($_.Namespace) $($_.AppId) $($_.Component)" } | Sort-Object)
    }
}

Describe 'kubectl namespaces piped with -Namespace or -Name, as Get-DaprNamespace objects are' {
    BeforeAll {
        $shopItem = if ($hasKubectl) { kubectl get ns shop -o json | ConvertFrom-Json } else { '{ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "shop" } }' | ConvertFrom-Json }
    }

    It '<Label> with -Name selects that name in that namespace' -ForEach @(
        @{ Label = 'a Namespace item'; Piped = { $shopItem } }
        @{ Label = 'namespace/shop'; Piped = { 'namespace/shop' } }
        @{ Label = 'Get-DaprNamespace output'; Piped = { Get-DaprNamespace shop } }
    ) {
        @(& $Piped | Get-DaprDeployment -Name order-api | ForEach-Object { "$($_.Namespace)/$($_.Name)" }) | Should -Be 'shop/order-api'
        @(& $Piped | Get-DaprComponentScope -Name pubsub | ForEach-Object { "$($_.Namespace)/$($_.Name)" }) | Should -Be 'shop/pubsub'
    }

    It '<Label> with the same -Namespace reads it; with another it is NamespaceConflict and nothing is done' -ForEach @(
        @{ Label = 'a Namespace item'; Piped = { $shopItem } }
        @{ Label = 'namespace/shop'; Piped = { 'namespace/shop' } }
        @{ Label = 'Get-DaprNamespace output'; Piped = { Get-DaprNamespace shop } }
    ) {
        New-DaprAppToken | Set-DaprTokenSecret -Namespace shop, prod-eu
        @(& $Piped | Get-DaprDeployment -Namespace shop -Name order-api | ForEach-Object { "$($_.Namespace)/$($_.Name)" }) | Should -Be 'shop/order-api'
        @(& $Piped | Get-DaprDeployment -Namespace s* | ForEach-Object Namespace | Select-Object -Unique) | Should -Be 'shop'
        @(& $Piped | Get-DaprTokenSecret -Namespace shop | ForEach-Object { "$($_.Namespace)/$($_.SecretName)" }) | Should -Be @(Get-DaprTokenSecret -Namespace shop | ForEach-Object { "$($_.Namespace)/$($_.SecretName)" })
        @(& $Piped | Get-DaprNamespace -Name shop).Name | Should -Be 'shop'
        @(& $Piped | Restart-DaprDeployment -Namespace shop -Name order-api -WhatIf) | Should -BeNullOrEmpty

        foreach ($command in { & $Piped | Get-DaprDeployment -Namespace prod-eu }, { & $Piped | Get-DaprTokenSecret -Namespace prod-eu }, { & $Piped | Get-DaprAccessMatrix -Namespace prod-eu }, { & $Piped | Get-DaprNamespace -Name prod-eu }) {
            $ErrorActionPreference = 'Continue'
            $all = @(& $command 2>&1)
            $all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty -Because "$command reads nothing"
            @($all | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) | Should -Be 'NamespaceConflict' -Because "$command"
            "$($all[0].TargetObject)" | Should -Be 'shop'
        }

        $before = (Get-DaprDeployment -Namespace prod-eu -Name order-api).LastRestart
        Get-ErrorIds { & $Piped | Restart-DaprDeployment -Namespace prod-eu -Confirm:$false } | Should -Be 'NamespaceConflict'
        (Get-DaprDeployment -Namespace prod-eu -Name order-api).LastRestart | Should -Be $before
    }
}

Describe 'Restart-DaprDeployment -Kind, and the command a stopped -Wait run prints to finish' {
    BeforeAll {
        function Get-StatefulSetManifest([string] $Namespace, [string] $Name) {
            @"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: $Name, namespace: $Namespace}
spec:
  replicas: 1
  serviceName: $Name
  selector: {matchLabels: {app: $Name-sts}}
  template:
    metadata:
      labels: {app: $Name-sts}
      annotations: {dapr.io/enabled: "true", dapr.io/app-id: $Name-sts}
    spec:
      containers:
      - {name: $Name, image: ghcr.io/example/${Name}:1.0.0}
"@
        }
        # resume-a: the canary, whose rollout fails; resume-b: a Deployment and a StatefulSet both named orders.
        $canary = Get-DaprLabAppManifest -Namespace resume-a -Name orders
        Set-DaprLabObject $lab ($canary -replace 'dapr.io/app-id: orders', 'dapr.io/app-id: orders, test.daprsecurity.io/rollout: fail')
        Set-DaprLabObject $lab (Get-DaprLabAppManifest -Namespace resume-b -Name orders)
        Set-DaprLabObject $lab (Get-StatefulSetManifest resume-b orders)
        Set-DaprLabObject $lab (Get-DaprLabAppManifest -Namespace resume-k -Name orders)
        Set-DaprLabObject $lab (Get-StatefulSetManifest resume-k orders)
        # resume-p: alpha's rollout fails, beta comes after it in the same wave.
        Set-DaprLabObject $lab ((Get-DaprLabAppManifest -Namespace resume-p -Name alpha) -replace 'dapr.io/app-id: alpha', 'dapr.io/app-id: alpha, test.daprsecurity.io/rollout: fail')
        Set-DaprLabObject $lab (Get-DaprLabAppManifest -Namespace resume-p -Name beta)
    }

    It '-Kind restarts only the workloads of that kind; a name only other kinds have is WorkloadNotFound' {
        $restarted = @(Restart-DaprDeployment -Namespace resume-k -Kind StatefulSet -Name orders)
        @($restarted | ForEach-Object { "$($_.Kind) $($_.Namespace)/$($_.Name) $($_.Status)" }) | Should -Be 'StatefulSet resume-k/orders Restarted'
        @(Restart-DaprDeployment -Namespace resume-k -Kind DaemonSet -Name orders -ErrorVariable errors -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
        ($errors[0].FullyQualifiedErrorId -split ',')[0] | Should -Be 'WorkloadNotFound'
        $errors[0].Exception.Message | Should -BeLike "*DaemonSet named 'orders'*"
        (Get-DaprDeployment -Namespace resume-k -Name orders | Where-Object Kind -eq Deployment).LastRestart | Should -BeNullOrEmpty
    }

    It 'names the kind of each workload left, so running it restarts exactly those' {
        $piped = Get-DaprDeployment -Namespace resume-* -Name orders | Where-Object { $_.Namespace -eq 'resume-a' -or ($_.Namespace -eq 'resume-b' -and $_.Kind -eq 'StatefulSet') }
        $warnings = $null
        $first = @($piped | Restart-DaprDeployment -Wait -Canary resume-a -Timeout 30 -WarningVariable warnings -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        @($first | ForEach-Object { "$($_.Kind) $($_.Namespace)/$($_.Name) $($_.Status)" } | Sort-Object) | Should -Be @('Deployment resume-a/orders Failed', 'StatefulSet resume-b/orders Skipped')
        $stop = @($warnings | Where-Object { "$_" -like '*finish with:*' })
        $stop | Should -HaveCount 1
        $finish = ("$($stop[0])" -split 'finish with: ')[1]
        $finish | Should -BeLike "Restart-DaprDeployment -Context '*' -Namespace resume-b -Kind StatefulSet -Name orders -Wait"

        $resumed = @(Invoke-Expression "$finish -Timeout 30")
        @($resumed | ForEach-Object { "$($_.Kind) $($_.Namespace)/$($_.Name) $($_.Status)" }) | Should -Be 'StatefulSet resume-b/orders RolledOut'
        (Get-DaprDeployment -Namespace resume-b -Name orders | Where-Object Kind -eq Deployment).LastRestart | Should -BeNullOrEmpty -Because 'the Deployment of the same name was never selected'
    }

    It 'after a whole-namespace run stopped inside a namespace, names the workloads left there, not the namespace' {
        $warnings = $null
        $first = @(Restart-DaprDeployment -Namespace resume-p -Wait -ThrottleLimit 1 -Timeout 30 -WarningVariable warnings -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        @($first | ForEach-Object { "$($_.Name) $($_.Status)" } | Sort-Object) | Should -Be @('alpha Failed', 'beta Skipped')
        $finish = ("$(@($warnings | Where-Object { "$_" -like '*finish with:*' })[0])" -split 'finish with: ')[1]
        $finish | Should -BeLike "Restart-DaprDeployment -Context '*' -Namespace resume-p -Kind Deployment -Name beta -Wait" -Because 'alpha was restarted already; only beta is left'
    }
}
