# Get-DaprContext and -Context completion, as a user meets them: kubeconfig files only, no cluster is contacted.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module (Get-ModuleManifestPath) -Force

    # A kubeconfig with one cluster, one token user and one context per name; the first name is current.
    function New-KubeConfig([string] $Name, [string[]] $Context) {
        $text = @('apiVersion: v1', 'kind: Config', "current-context: $($Context[0])", 'clusters:')
        $text += foreach ($c in $Context) { "- name: $c-cluster", '  cluster:', "    server: https://$($c -replace ' ', '-').example.invalid:6443" }
        $text += 'users:'
        $text += foreach ($c in $Context) { "- name: $c-user", '  user:', "    token: not-a-real-token-$($c -replace ' ', '-')" }
        $text += 'contexts:'
        $text += foreach ($c in $Context) { "- name: $c", '  context:', "    cluster: $c-cluster", "    user: $c-user", "    namespace: ns-$($c -replace ' ', '-')" }
        New-KubeConfigFile $Name ($text -join "`n")
    }

    function New-KubeConfigFile([string] $Name, [string] $Text) {
        $path = [IO.Path]::Combine($TestDrive, $Name)
        [IO.File]::WriteAllText($path, $Text)
        $path
    }

    # What tab completion offers at the end of $Line.
    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    # The one error a command wrote or threw, as a user sees it: without a .NET stack trace.
    function Get-SingleError([scriptblock] $Command) {
        $result = Invoke-Collecting $Command
        $result.Errors | Should -HaveCount 1
        "$($result.Errors[0])" | Should -Not -Match '   at '
        [pscustomobject]@{ Error = $result.Errors[0]; Output = $result.Output }
    }
}

Describe 'Get-DaprContext' {
    It 'lists contexts with cluster, server, namespace, user and which is current' {
        $path = New-KubeConfig config dev, prod

        $contexts = Get-DaprContext -KubeConfig $path

        $contexts.Name | Should -Be @('dev', 'prod')
        $contexts[0].PSObject.TypeNames[0] | Should -Be 'DaprSecurity.Output.DaprContextInfo'
        $contexts[0].IsCurrent | Should -BeTrue
        $contexts[0].Cluster | Should -Be 'dev-cluster'
        $contexts[0].Server | Should -Be 'https://dev.example.invalid:6443'
        $contexts[0].DefaultNamespace | Should -Be 'ns-dev'
        $contexts[0].User | Should -Be 'dev-user'
        "$($contexts[0].AuthKind)" | Should -Be 'Token'
        $contexts[0].KubeConfig | Should -Be $path
        $contexts[1].IsCurrent | Should -BeFalse
    }

    It 'shows a table of the useful columns by default' {
        $path = New-KubeConfig config dev, prod

        $lines = @(Get-DaprContext -KubeConfig $path | Out-String -Width 80) -split "`n" | ForEach-Object Trim | Where-Object { $_ }

        $lines[0] | Should -Match '^IsCurrent\s+Name\s+DefaultNamespace\s+User\s+AuthKind$'
        $lines[2] | Should -Match '^True\s+dev\s+ns-dev\s+dev-user\s+Token$'
    }

    It 'merges the files of KUBECONFIG: the first definition wins, missing files are skipped' {
        $first = New-KubeConfig a alpha, shared
        $second = New-KubeConfig b beta, shared
        $before = $env:KUBECONFIG
        try {
            $env:KUBECONFIG = $first, ([IO.Path]::Combine($TestDrive, 'missing')), $second -join [IO.Path]::PathSeparator
            $contexts = Get-DaprContext
        } finally {
            $env:KUBECONFIG = $before
        }

        $contexts.Name | Should -Be @('alpha', 'shared', 'beta')
        $contexts.IsCurrent | Should -Be @($true, $false, $false)
        ($contexts | Where-Object Name -eq shared).KubeConfig | Should -Be $first
    }

    It 'takes names as wildcards and from the pipeline, and -Current' {
        $path = New-KubeConfig config dev, prod-eu, prod-us

        ('prod-*' | Get-DaprContext -KubeConfig $path).Name | Should -Be @('prod-eu', 'prod-us')
        (Get-DaprContext -KubeConfig $path -Current).Name | Should -Be 'dev'
    }

    It 'reports the kind of credential but never the credential' {
        $path = New-KubeConfigFile auth @'
apiVersion: v1
kind: Config
current-context: exec
clusters:
- name: c
  cluster: {server: "https://c.example.invalid"}
users:
- name: exec
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token]}
- name: oidc
  user:
    auth-provider: {name: oidc, config: {client-id: x}}
- name: cert
  user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}
- name: basic
  user: {username: admin, password: pa55word-secret}
contexts:
- {name: exec, context: {cluster: c, user: exec}}
- {name: oidc, context: {cluster: c, user: oidc}}
- {name: cert, context: {cluster: c, user: cert}}
- {name: basic, context: {cluster: c, user: basic}}
'@

        $contexts = Get-DaprContext -KubeConfig $path -Verbose 4>&1
        $everything = ($contexts | Format-List * | Out-String) + ($contexts | ConvertTo-Json -Depth 5)

        ($contexts | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).AuthKind | ForEach-Object { "$_" } |
            Should -Be @('Exec', 'AuthProvider', 'ClientCertificate', 'Basic')
        $everything | Should -Not -Match 'pa55word-secret'
        $everything | Should -Not -Match 'Y2VydA=='
    }

    It 'names a missing kubeconfig file in a clear error' {
        $path = [IO.Path]::Combine($TestDrive, 'nope.yaml')

        $result = Get-SingleError { Get-DaprContext -KubeConfig $path }

        $result.Error.FullyQualifiedErrorId | Should -Be 'KubeConfigNotFound,DaprSecurity.Commands.Contexts.GetDaprContextCommand'
        $result.Error.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $result.Error.TargetObject | Should -Be $path
        $result.Error.Exception.Message | Should -BeLike "*$path*"
    }

    It 'says why it lists nothing when there is no kubeconfig at all, and lists contexts again once there is one' {
        $saved = $env:KUBECONFIG, $env:HOME
        try {
            $env:KUBECONFIG = $null
            $env:HOME = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'empty-home'))).FullName

            $none = Invoke-Collecting { Get-DaprContext }
            $null = New-Item -ItemType Directory ([IO.Path]::Combine($env:HOME, '.kube'))
            Copy-Item (New-KubeConfig home.yaml 'at-home') ([IO.Path]::Combine($env:HOME, '.kube', 'config'))
            $some = Invoke-Collecting { Get-DaprContext }
        } finally {
            $env:KUBECONFIG, $env:HOME = $saved
        }

        $none.Output | Should -BeNullOrEmpty
        $none.Errors | Should -BeNullOrEmpty
        $none.Warnings | Should -Be 'No kubeconfig context found: KUBECONFIG is not set and ~/.kube/config does not exist or defines none. Pass -KubeConfig or set KUBECONFIG (inside a pod the cluster cmdlets use its service account without one).'
        $some.Output.Name | Should -Be 'at-home'
        $some.Warnings | Should -BeNullOrEmpty
    }

    It 'names the file of malformed YAML in a clear error' {
        $path = New-KubeConfigFile broken "apiVersion: v1`nkind: Config`nclusters: [ {name: x`n  - : :`n"

        $result = Get-SingleError { Get-DaprContext -KubeConfig $path }

        $result.Error.FullyQualifiedErrorId | Should -BeLike 'KubeConfigInvalid,*'
        $result.Error.CategoryInfo.Category | Should -Be 'InvalidData'
        $result.Error.Exception.Message | Should -BeLike "*$path*"
    }

    It 'makes an unknown context name an error for that name only; the others are still listed' {
        $path = New-KubeConfig config dev, prod

        $result = Get-SingleError { Get-DaprContext -KubeConfig $path -Name nope, prod }

        $result.Error.FullyQualifiedErrorId | Should -BeLike 'KubeContextNotFound,*'
        $result.Error.TargetObject | Should -Be 'nope'
        $result.Output.Name | Should -Be 'prod'
    }
}

Describe 'Completion of context names' {
    It 'completes -Name from the kubeconfig given on the command line, quoting names with spaces' {
        $path = New-KubeConfig config dev, 'prod eu', prod-us

        Get-Completion "Get-DaprContext -KubeConfig '$path' -Name pro" | Should -Be @("'prod eu'", 'prod-us')
    }

    It 'completes -Context of every cluster cmdlet from the kubeconfig it would use' {
        $path = New-KubeConfig config dev, prod-eu, prod-us

        Get-Completion "Test-DaprMtls -KubeConfig '$path' -Context prod-" | Should -Be @('prod-eu', 'prod-us')
    }
}
