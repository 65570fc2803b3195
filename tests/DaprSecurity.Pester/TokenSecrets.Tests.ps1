# Get-DaprTokenSecret, Remove-DaprTokenSecret, Set-DaprTokenSecret's namespace binding and Get-DaprNamespace (alias
# Get-Namespace), against the lab with healthy and broken token secrets of each test's own namespaces.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Get-DaprTokenSecret' {
    It 'shows fingerprints, consumers and every kind of broken reference, never a token' {
        Set-DaprLabObject $lab (@(
                Get-DaprLabAppManifest inspect-a orders -AppTokenSecret app-api-token -ApiTokenSecret dapr-api-token -Token @{ 'app-api-token' = 'shared-token'; 'dapr-api-token' = "api-token`n" }
                Get-DaprLabAppManifest inspect-b cart -AppTokenSecret app-api-token -Token @{ 'app-api-token' = 'shared-token' }
                Get-DaprLabAppManifest inspect-b search -AppTokenSecret cart-token
                "apiVersion: v1`nkind: Secret`nmetadata: {name: cart-token, namespace: inspect-b}`ndata: {password: eA==}"
                Get-DaprLabAppManifest inspect-c billing -ApiTokenSecret missing-token -Token @{ 'app-api-token' = 'other-token' }
            ) -join "`n---`n")

        $result = Invoke-Collecting { Get-DaprTokenSecret -Namespace inspect-* -Verbose }

        $result.Errors | Should -BeNullOrEmpty
        $rows = $result.Output
        $rows | ForEach-Object { "$($_.Namespace)/$($_.SecretName) $($_.Status) $($_.Consumers -join ',')".TrimEnd() } | Should -Be @(
            'inspect-a/app-api-token InUse Deployment/orders'
            'inspect-a/dapr-api-token Malformed Deployment/orders'
            'inspect-b/app-api-token InUse Deployment/cart'
            'inspect-b/cart-token MissingKey Deployment/search'
            'inspect-c/app-api-token Unused'
            'inspect-c/missing-token Dangling Deployment/billing'
        )
        $rows[0].Fingerprint | Should -Not -BeNullOrEmpty
        $rows[2].Fingerprint | Should -Be $rows[0].Fingerprint
        $rows[4].Fingerprint | Should -Not -Be $rows[0].Fingerprint
        $rows[5].Fingerprint | Should -BeNullOrEmpty
        $result.Warnings | Where-Object { $_ -like '*Deployment inspect-c/billing*' -and $_ -like '*missing-token*' -and $_ -like '*CreateContainerConfigError*' } | Should -Not -BeNullOrEmpty
        $result.Verbose | Where-Object { $_ -like '*app-api-token holds 2 different tokens across 3 namespaces*' } | Should -Not -BeNullOrEmpty
        Get-CollectedText $result | Should -Not -Match 'shared-token'
    }
}

Describe 'Remove-DaprTokenSecret' {
    It 'refuses a secret in use unless forced, removes unused ones, and makes a missing one an error' {
        Set-DaprLabObject $lab (@(
                Get-DaprLabAppManifest remove-a orders -AppTokenSecret app-api-token -Token @{ 'app-api-token' = 't1' }
                Get-DaprLabAppManifest remove-b cart -Token @{ 'app-api-token' = 't2' }
            ) -join "`n---`n")
        $stored = { param($ns) Get-DaprLabObject $lab -Resource secrets -Namespace $ns -Name app-api-token }

        $refused = Invoke-Collecting { Remove-DaprTokenSecret -Namespace remove-* -Confirm:$false -PassThru | ForEach-Object Namespace }
        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLike 'TokenSecretInUse,*'
        "$($refused.Errors[0])" | Should -BeLike '*Deployment remove-a/orders*'
        $refused.Output | Should -Be 'remove-b'
        & $stored remove-b | Should -BeNullOrEmpty
        & $stored remove-a | Should -Not -BeNullOrEmpty

        "$(Remove-DaprTokenSecret -Namespace remove-a -Force -Confirm:$false -PassThru | ForEach-Object Action)" | Should -Be 'Removed'
        & $stored remove-a | Should -BeNullOrEmpty
        { Remove-DaprTokenSecret -Namespace remove-a -Confirm:$false } | Should -Throw -ErrorId 'TokenSecretNotFound,DaprSecurity.Commands.Tokens.RemoveDaprTokenSecretCommand'
    }
}

Describe 'Namespaces' {
    # That Get-Namespace is the alias of Get-DaprNamespace is Module.Tests'.
    It 'Get-Namespace takes wildcards and counts Dapr workloads and token secrets' {
        Set-DaprLabObject $lab (@(
                Get-DaprLabAppManifest ns-info-a orders -AppTokenSecret app-api-token -Token @{ 'app-api-token' = 't' }
                Get-DaprLabAppManifest ns-info-a legacy -DaprDisabled
                Get-DaprLabAppManifest ns-info-b cart -Token @{ 'dapr-api-token' = 't' }
            ) -join "`n---`n")

        Get-Namespace ns-info-* | ForEach-Object { "$($_.Name) $($_.Status) $($_.DaprWorkloads) $($_.AppTokenSecret) $($_.ApiTokenSecret)" } |
            Should -Be 'ns-info-a Active 1 True False', 'ns-info-b Active 1 False True'
    }

    It 'counts Dapr-enabled Deployments, StatefulSets and DaemonSets, in one namespace and across several' {
        $template = { param($kind, $name, $enabled) @"
apiVersion: apps/v1
kind: $kind
metadata: {name: $name, namespace: ns-kinds}
spec:
  selector: {matchLabels: {app: $name}}
  template:
    metadata:
      labels: {app: $name}
      annotations: {dapr.io/enabled: "$enabled", dapr.io/app-id: $name}
    spec:
      containers:
      - {name: $name, image: ghcr.io/example/${name}:1.0.0}
"@ }
        Set-DaprLabObject $lab (@(
                "apiVersion: v1`nkind: Namespace`nmetadata: {name: ns-kinds}"
                & $template Deployment web yes
                & $template StatefulSet store true
                & $template DaemonSet agent On
                & $template Deployment batch false
                Get-DaprLabAppManifest ns-kinds-other worker
            ) -join "`n---`n")

        (Get-Namespace ns-kinds).DaprWorkloads | Should -Be 3
        Get-Namespace ns-kinds* | ForEach-Object { "$($_.Name) $($_.DaprWorkloads)" } | Should -Be 'ns-kinds 3', 'ns-kinds-other 1'
    }

    It 'binds a namespace from a string, from Get-Namespace and from a kubectl JSON object' {
        Set-DaprLabObject $lab ((@('bind-str', 'bind-obj', 'bind-json') | ForEach-Object { Get-DaprLabAppManifest $_ orders -AppTokenSecret app-api-token }) -join "`n---`n")
        $token = New-DaprAppToken -Kind Api

        $written = @(
            'bind-str' | Set-DaprTokenSecret -Token $token -PassThru
            Get-Namespace bind-obj | Set-DaprTokenSecret -Token $token -PassThru
            [pscustomobject]@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = [pscustomobject]@{ name = 'bind-json'; uid = '1' } } | Set-DaprTokenSecret -Token $token -PassThru
        )

        $written.Namespace | Should -Be 'bind-str', 'bind-obj', 'bind-json'
        $written | ForEach-Object { "$($_.Kind) $($_.SecretName)" } | Should -Be (@('Api dapr-api-token') * 3)
    }

    It 'makes a piped token object without a namespace a clear binding error' {
        $result = Invoke-Collecting { New-DaprAppToken | Set-DaprTokenSecret }

        $result.Errors | Should -HaveCount 1
        "$($result.Errors[0])" | Should -BeLike '*A token is not a namespace*'
    }
}

# Many users may work in their own namespaces but not list the cluster's namespaces. Like kubectl -n, the module then
# takes exact namespace names on trust; only wildcards, which it cannot expand, are refused.
Describe 'A user confined to a namespace' {
    BeforeAll {
        Set-DaprLabObject $lab (Get-DaprLabAppManifest team-a team-a)
        $user = Invoke-DaprLabAdmin $lab POST users @{ name = 'team-a-dev'; forbidden = @(
                @{ verbs = 'list,watch'; resources = 'namespaces' }
                @{ verbs = 'list,watch'; resources = 'deployments,statefulsets,daemonsets,replicasets,pods,secrets,configmaps'; clusterWideOnly = $true }
            ) }
        $teamKubeConfig = [IO.Path]::Combine($TestDrive, 'team-a-dev')
        [IO.File]::WriteAllText($teamKubeConfig, $user.kubeconfig)
        $PSDefaultParameterValues['*-Dapr*:KubeConfig'] = $teamKubeConfig
    }
    AfterAll { $PSDefaultParameterValues.Remove('*-Dapr*:KubeConfig') }

    It 'works in exactly named namespaces without permission to list namespaces' {
        (New-DaprAppToken | Set-DaprTokenSecret -Namespace team-a -PassThru).Namespace | Should -Be 'team-a'
        (Get-DaprDeployment -Namespace team-a).Name | Should -Be 'team-a'
        Get-DaprLabObject $lab -Resource secrets -Namespace team-a -Name app-api-token | Should -Not -BeNullOrEmpty
    }

    It 'rotates a token confined to the namespace and restarts its workloads' {
        $null = New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace team-a
        $null = Get-DaprDeployment -Namespace team-a | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -WarningAction SilentlyContinue

        New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace team-a -PassThru | Restart-DaprDeployment -Wait -Timeout 120 |
            ForEach-Object { "$($_.Name)=$($_.Status)" } | Should -Be 'team-a=RolledOut'
        (Restart-DaprDeployment -Namespace team-a).Name | Should -Be 'team-a'
    }

    It 'refuses a wildcard, with advice, when namespaces cannot be listed' {
        $result = Invoke-Collecting { New-DaprAppToken | Set-DaprTokenSecret -Namespace team-* -PassThru }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceListForbidden,*'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $result.Errors[0].TargetObject | Should -Be 'team-*'
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*Name the namespaces exactly*'
        $result.Output | Should -BeNullOrEmpty
    }
}

# The headline workflow: create a token, store it in every namespace, restart exactly the workloads that use it.
Describe 'Token rotation' {
    BeforeAll {
        function Get-Generation([string] $Namespace, [string] $Name) { (Get-DaprLabObject $lab -Group apps -Resource deployments -Namespace $Namespace -Name $Name).metadata.generation }
        function Get-StoredSecret([string] $Namespace) { Get-DaprLabObject $lab -Resource secrets -Namespace $Namespace -Name app-api-token }
        function ConvertFrom-Base64([string] $Text) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Text)) }
    }

    It 'stores the token in every namespace and rolls exactly its consumers, once' {
        Set-DaprLabObject $lab (@(
                Get-DaprLabAppManifest rot-a orders -AppTokenSecret app-api-token
                Get-DaprLabAppManifest rot-a audit
                Get-DaprLabAppManifest rot-b cart -AppTokenSecret app-api-token -ApiTokenSecret dapr-api-token -Token @{ 'dapr-api-token' = 'api-token' }
                Get-DaprLabAppManifest rot-b search -ApiTokenSecret dapr-api-token
                Get-DaprLabAppManifest rot-c billing -AppTokenSecret app-api-token
                "apiVersion: v1`nkind: Secret`nmetadata: {name: app-api-token, namespace: rot-c, labels: {team: billing}, annotations: {owner: billing-team}}`ndata: {token: b2xkLXRva2Vu}"
                Get-DaprLabAppManifest other-d shipping -AppTokenSecret app-api-token
            ) -join "`n---`n")
        $token = New-DaprAppToken

        $restarted = $token | Set-DaprTokenSecret -Namespace rot-* -PassThru | Restart-DaprDeployment -Wait -Timeout 120 -WarningVariable warned
        $warned | Should -BeNullOrEmpty -Because 'every rotated namespace has a consumer'

        $plain = $token.Token | ConvertFrom-SecureString -AsPlainText
        $restarted | ForEach-Object { "$($_.Namespace)/$($_.Name) $($_.Status)" } | Sort-Object | Should -Be 'rot-a/orders RolledOut', 'rot-b/cart RolledOut', 'rot-c/billing RolledOut'
        foreach ($ns in 'rot-a', 'rot-b', 'rot-c') { ConvertFrom-Base64 (Get-StoredSecret $ns).data.token | Should -BeExactly $plain -Because $ns }
        (Get-Generation rot-a orders), (Get-Generation rot-b cart), (Get-Generation rot-c billing) | Should -Be 2, 2, 2
        (Get-Generation rot-a audit), (Get-Generation rot-b search), (Get-Generation other-d shipping) | Should -Be 1, 1, 1
        Get-StoredSecret other-d | Should -BeNullOrEmpty
        $kept = (Get-StoredSecret rot-c).metadata
        $kept.labels.team | Should -Be 'billing'
        $kept.annotations.owner | Should -Be 'billing-team'
        $kept.labels.'app.kubernetes.io/managed-by' | Should -Be 'DaprSecurity'
        $kept.annotations.'daprsecurity.io/token-fingerprint' | Should -Be $token.Fingerprint
    }

    It 'warns where no workload uses the secret, naming the command that wires it up, which then works' {
        Set-DaprLabObject $lab (Get-DaprLabAppManifest unused-a orders)
        $token = New-DaprAppToken

        $restarted = @($token | Set-DaprTokenSecret -Namespace unused-a -PassThru | Restart-DaprDeployment -Wait -Timeout 120 -WarningVariable warned -WarningAction SilentlyContinue)

        $restarted | Should -BeNullOrEmpty
        @($warned) | Should -HaveCount 1
        "$($warned[0])" | Should -Match 'No Dapr workload in unused-a \(context ''[^'']+''\) uses secret app-api-token, so none was restarted there'
        $suggested = ("$($warned[0])" -split 'To make its apps use it: ')[1]
        $suggested | Should -BeExactly 'Set-DaprSidecarAnnotation -Namespace unused-a -AppTokenSecret app-api-token'
        Invoke-Expression $suggested
        ($token | Set-DaprTokenSecret -Namespace unused-a -PassThru | Restart-DaprDeployment -Wait -Timeout 120).Name | Should -Be 'orders' -Because 'the annotation makes orders a consumer'
    }

    It 'writes nothing and restarts nothing when run again with the same token' {
        Set-DaprLabObject $lab ((Get-DaprLabAppManifest again-a orders -AppTokenSecret app-api-token), (Get-DaprLabAppManifest again-b cart -AppTokenSecret app-api-token) -join "`n---`n")
        $token = New-DaprAppToken -Format Opaque
        $writes = { @(Invoke-DaprLabAdmin $lab GET requests/recent | Where-Object { $_.resource -in 'secrets', 'deployments' -and $_.verb -in 'create', 'update', 'patch' -and "$($_.namespace)".StartsWith('again-') }).Count }

        $first = $token | Set-DaprTokenSecret -Namespace again-* -PassThru | Restart-DaprDeployment -Wait -Timeout 120
        $writesBefore = & $writes
        $second = $token | Set-DaprTokenSecret -Namespace again-* -PassThru -OutVariable secrets | Restart-DaprDeployment -Wait -Timeout 120

        $first.Status | ForEach-Object { "$_" } | Should -Be 'RolledOut', 'RolledOut'
        $second.Status | ForEach-Object { "$_" } | Should -Be 'UpToDate', 'UpToDate'
        $secrets.Action | ForEach-Object { "$_" } | Should -Be 'Unchanged', 'Unchanged'
        & $writes | Should -Be $writesBefore
        (Get-Generation again-a orders), (Get-Generation again-b cart) | Should -Be 2, 2
    }
}

# Errors stay with the namespace they are about, and a second run finishes exactly what the first left undone.
Describe 'Set-DaprTokenSecret errors' {
    It 'fails a forbidden namespace alone, and a second run finishes it without restarting the others' {
        Set-DaprLabObject $lab (@(
                Get-DaprLabAppManifest resume-a orders -AppTokenSecret app-api-token
                Get-DaprLabAppManifest resume-b cart -AppTokenSecret app-api-token
                Get-DaprLabAppManifest resume-c billing -AppTokenSecret app-api-token
            ) -join "`n---`n")
        $limited = Invoke-DaprLabAdmin $lab POST users @{ name = 'resume-limited'; forbidden = @(@{ verbs = 'create,update,patch'; resources = 'secrets'; namespace = 'resume-b' }) }
        $limitedKubeConfig = [IO.Path]::Combine($TestDrive, 'resume-limited')
        [IO.File]::WriteAllText($limitedKubeConfig, $limited.kubeconfig)
        $token = New-DaprAppToken
        $rotate = { param($KubeConfig) $token | Set-DaprTokenSecret -Namespace resume-* -PassThru -KubeConfig $KubeConfig | Restart-DaprDeployment -KubeConfig $KubeConfig | ForEach-Object { "$($_.Namespace)=$($_.Status)" } }

        $first = Invoke-Collecting { & $rotate $limitedKubeConfig }
        $second = Invoke-Collecting { & $rotate $lab.KubeConfig }

        $first.Errors | Should -HaveCount 1
        $first.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KubeApiForbidden,*'
        $first.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        "$($first.Errors[0])" | Should -BeLike '*resume-b*'
        $first.Errors[0].Exception.InnerException | Should -BeNullOrEmpty
        $first.Warnings | Where-Object { $_ -like '*1 of 3 namespaces: resume-b*' -and $_ -like '*run the same command again*' } | Should -Not -BeNullOrEmpty
        $first.Output | Sort-Object | Should -Be 'resume-a=Restarted', 'resume-c=Restarted'
        $second.Errors | Should -BeNullOrEmpty
        $second.Output | Sort-Object | Should -Be 'resume-a=UpToDate', 'resume-b=Restarted', 'resume-c=UpToDate'
        foreach ($app in @{ ns = 'resume-a'; name = 'orders' }, @{ ns = 'resume-b'; name = 'cart' }, @{ ns = 'resume-c'; name = 'billing' }) {
            (Get-DaprLabObject $lab -Group apps -Resource deployments -Namespace $app.ns -Name $app.name).metadata.generation | Should -Be 2 -Because $app.ns
        }
    }

    It 'makes unknown namespaces and wildcards matching nothing errors while the rest proceeds' {
        Set-DaprLabObject $lab (Get-DaprLabAppManifest bad-ok orders -AppTokenSecret app-api-token)

        $result = Invoke-Collecting { New-DaprAppToken | Set-DaprTokenSecret -Namespace bad-ok, no-such-namespace, zzz-* -PassThru | ForEach-Object Namespace }

        $result.Output | Should -Be 'bad-ok'
        $result.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId.Split(',')[0]) $($_.TargetObject)" } | Sort-Object | Should -Be 'NamespaceNotFound no-such-namespace', 'NamespaceNotMatched zzz-*'
        $result.Errors.CategoryInfo.Category | Sort-Object -Unique | Should -Be 'ObjectNotFound'
    }

    It 'refuses a malformed token before anything is written' {
        Set-DaprLabObject $lab (Get-DaprLabAppManifest malformed-a orders -AppTokenSecret app-api-token)

        { Set-DaprTokenSecret -Namespace malformed-a -Token "pasted-token`n" } | Should -Throw -ErrorId 'TokenMalformed,DaprSecurity.Commands.Tokens.SetDaprTokenSecretCommand' -ExpectedMessage '*trailing newline*'
        Get-DaprLabObject $lab -Resource secrets -Namespace malformed-a -Name app-api-token | Should -BeNullOrEmpty
    }

    It 'reports an immutable secret, and does not half-write it' {
        Set-DaprLabObject $lab ((Get-DaprLabAppManifest immutable-a orders -AppTokenSecret app-api-token) +
            "`n---`napiVersion: v1`nkind: Secret`nmetadata: {name: app-api-token, namespace: immutable-a}`nimmutable: true`ndata: {token: ZnJvemVuLXRva2Vu}")

        $result = Invoke-Collecting { Set-DaprTokenSecret -Namespace immutable-a -Token new-token-value }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'TokenSecretImmutable,*'
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String((Get-DaprLabObject $lab -Resource secrets -Namespace immutable-a -Name app-api-token).data.token)) | Should -Be 'frozen-token'
    }
}
