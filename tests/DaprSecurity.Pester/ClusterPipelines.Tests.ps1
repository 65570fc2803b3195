# Piped objects are acted on in the cluster they came from, never in the current context: a lab of three clusters,
# stage (current), prod-east and prod-west, each with the same seed, so only the cluster a command acted in changes.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $contexts = 'stage', 'prod-east', 'prod-west'
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -Cluster $contexts
    Import-Module (Get-ModuleManifestPath) -Force
    $oldToken = 'old-token-value-0123456789abcdef'

    function Get-LabServer([string] $Context) { $lab.Servers[[array]::IndexOf($contexts, $Context)] }

    # A new namespace in every cluster, with Deployments orders and cart reading the token secret app-api-token, and an
    # unscoped component.
    function New-PipelineNamespace {
        $ns = "pipe-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $manifest = @(
            Get-DaprLabAppManifest $ns orders -AppTokenSecret app-api-token -Token @{ 'app-api-token' = $oldToken }
            Get-DaprLabAppManifest $ns cart -AppTokenSecret app-api-token
            "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata: {name: statestore, namespace: $ns}`nspec: {type: state.redis, version: v1}"
        ) -join "`n---`n"
        foreach ($server in $lab.Servers) { Set-DaprLabObject $server $manifest }
        $ns
    }

    # The contexts in which Deployment $App of namespace $ns was restarted.
    function Get-RestartedIn([string] $App) {
        $contexts | Where-Object { (Get-DaprLabObject (Get-LabServer $_) -Group apps -Resource deployments -Namespace $ns -Name $App).spec.template.metadata.annotations.'kubectl.kubernetes.io/restartedAt' } | Sort-Object
    }

    # The token in secret app-api-token of namespace $ns in $Context, or nothing when there is none.
    function Get-StoredToken([string] $Context) {
        $secret = Get-DaprLabObject (Get-LabServer $Context) -Resource secrets -Namespace $ns -Name app-api-token
        if ($secret) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($secret.data.token)) }
    }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Piped objects act in their cluster' {
    BeforeEach { $ns = New-PipelineNamespace }

    It 'restarts Deployments from another context there' {
        $restarted = Get-DaprDeployment -Context prod-east -Namespace $ns -Name orders | Restart-DaprDeployment

        $restarted | ForEach-Object { "$($_.Context) $($_.Namespace)/$($_.Name)" } | Should -Be "prod-east $ns/orders"
        Get-RestartedIn orders | Should -Be 'prod-east'
        Get-RestartedIn cart | Should -BeNullOrEmpty
    }

    It 'removes token secrets from another context there' {
        Get-DaprTokenSecret -Context prod-west -Namespace $ns -Name app-api-token | Remove-DaprTokenSecret -Force -Confirm:$false

        Get-StoredToken prod-west | Should -BeNullOrEmpty
        Get-StoredToken prod-east | Should -Be $oldToken
        Get-StoredToken stage | Should -Be $oldToken
    }

    It 'restarts in the context a rotation was written to' {
        $restarted = New-DaprAppToken | Set-DaprTokenSecret -Context prod-east -Namespace $ns -PassThru | Restart-DaprDeployment

        $restarted | ForEach-Object { "$($_.Context) $($_.Name)" } | Sort-Object | Should -Be 'prod-east cart', 'prod-east orders'
        Get-RestartedIn orders | Should -Be 'prod-east'
        Get-StoredToken stage | Should -Be $oldToken
    }

    It 'groups mixed input from two contexts and runs each group in its cluster' {
        $east = Get-DaprDeployment -Context prod-east -Namespace $ns -Name orders
        $west = Get-DaprDeployment -Context prod-west -Namespace $ns -Name cart

        $null = @($east, $west) | Restart-DaprDeployment

        Get-RestartedIn orders | Should -Be 'prod-east'
        Get-RestartedIn cart | Should -Be 'prod-west'
    }

    It 'makes an explicit context that conflicts with a piped object an error for it' {
        $result = Invoke-Collecting { Get-DaprDeployment -Context prod-east -Namespace $ns -Name orders | Restart-DaprDeployment -Context prod-west }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KubeContextConflict,*'
        "$($result.Errors[0])" | Should -BeLike '*prod-east*'
        Get-RestartedIn orders | Should -BeNullOrEmpty
    }

    It 'restarts one workload named by -Namespace and -Name' {
        $null = Restart-DaprDeployment -Context prod-west -Namespace $ns -Name orders

        Get-RestartedIn orders | Should -Be 'prod-west'
        Get-RestartedIn cart | Should -BeNullOrEmpty
    }

    It 'binds piped contexts as contexts, never as namespaces' {
        $namespaces = Get-DaprContext prod-* | Get-DaprNamespace -Name $ns
        $workloads = Get-DaprContext prod-east | Get-DaprDeployment -Namespace $ns
        $restart = Invoke-Collecting { Get-DaprContext prod-east | Restart-DaprDeployment -WhatIf }

        $namespaces | ForEach-Object { "$($_.Context) $($_.Name)" } | Sort-Object | Should -Be "prod-east $ns", "prod-west $ns"
        $workloads | ForEach-Object { "$($_.Context) $($_.Name)" } | Sort-Object | Should -Be 'prod-east cart', 'prod-east orders'
        $restart.Errors | Should -Not -BeNullOrEmpty
        Get-RestartedIn orders | Should -BeNullOrEmpty
    }

    It 'gives each row once however many objects are piped' {
        $direct = @(Get-DaprAccessMatrix -Context prod-east -Namespace $ns)
        $piped = @(Get-DaprDeployment -Context prod-east -Namespace $ns | Get-DaprAccessMatrix)
        $secrets = @(Get-DaprDeployment -Context prod-east -Namespace $ns | Get-DaprTokenSecret)

        $direct | Should -Not -BeNullOrEmpty
        $piped.Count | Should -Be $direct.Count
        $piped.Context | Sort-Object -Unique | Should -Be 'prod-east'
        $secrets | Should -HaveCount 1
    }

    It 'reads every cluster a context wildcard matches and marks each result' {
        (Get-DaprCertificate -Context prod-*).Context | Sort-Object -Unique | Should -Be 'prod-east', 'prod-west'
        (Get-DaprContext | Get-DaprControlPlane).Context | Sort-Object -Unique | Should -Be 'prod-east', 'prod-west', 'stage'
        { Get-DaprControlPlane -Context nothing-* } | Should -Throw -ErrorId 'KubeContextNotMatched,DaprSecurity.Commands.Mtls.GetDaprControlPlaneCommand'
    }
}
