# The transport promises of "Choosing the cluster": kubectl's TLS rules or stricter, never a credential over http://.
# Kubeconfig files are the lab's, edited as a user would.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force
    $adminKubeConfig = [IO.File]::ReadAllText($lab.KubeConfig)
    $serverUrl = [regex]::Match($adminKubeConfig, 'server: (\S+)').Groups[1].Value

    function New-KubeConfigFile([string] $Name, [string] $Text) {
        $path = [IO.Path]::Combine($TestDrive, $Name)
        [IO.File]::WriteAllText($path, $Text)
        $path
    }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'TLS verification' {
    It 'refuses skipping verification next to a CA, before any request' {
        $path = New-KubeConfigFile skip-and-ca ([regex]::Replace($adminKubeConfig, '( +)certificate-authority-data: .*', { param($m) "$($m.Value)`n$($m.Groups[1].Value)insecure-skip-tls-verify: true" }))
        $before = (Invoke-DaprLabAdmin $lab GET requests).total

        $result = Invoke-Collecting { Get-DaprNamespace -KubeConfig $path }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterTlsConfigInvalid,*'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $result.Errors[0].Exception.Message | Should -BeLike '*insecure-skip-tls-verify*'
        (Invoke-DaprLabAdmin $lab GET requests).total | Should -Be $before
    }

    It 'works when told to skip verification alone, and warns once a command, naming the cluster' {
        $path = New-KubeConfigFile skip-only ([regex]::Replace($adminKubeConfig, 'certificate-authority-data: .*', 'insecure-skip-tls-verify: true'))

        $result = Invoke-Collecting { Get-DaprNamespace -KubeConfig $path; Get-DaprDeployment -KubeConfig $path -Namespace * }

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Not -BeNullOrEmpty
        $result.Warnings | Should -HaveCount 2
        $result.Warnings | ForEach-Object { $_ | Should -BeLike "*'kube-api-server' ($serverUrl) runs without TLS verification*" }
    }
}

Describe 'Plain HTTP' {
    It 'sends no <Kind> over plain http://' -ForEach @(
        @{ Kind = 'bearer token'; User = "    token: plain-http-secret-token`n" }
        @{ Kind = 'user name and password'; User = "    username: admin`n    password: plain-http-secret-password`n" }
        @{ Kind = 'client certificate'; User = "    client-certificate-data: Zm9v`n    client-key-data: YmFy`n" }
        @{ Kind = "exec plugin's credential"; User = "    exec:`n      apiVersion: client.authentication.k8s.io/v1`n      command: /bin/echo`n      interactiveMode: Never`n" }
        @{ Kind = "auth provider's token"; User = "    auth-provider:`n      name: oidc`n      config:`n        id-token: plain-http-secret-id-token`n        idp-issuer-url: https://issuer.example.invalid`n        client-id: x`n" }
    ) {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $server = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
            $path = New-KubeConfigFile plain-http ("apiVersion: v1`nkind: Config`ncurrent-context: plain`n" +
                "clusters:`n- name: plain-cluster`n  cluster:`n    server: $server`n" +
                "users:`n- name: plain-user`n  user:`n$User" +
                "contexts:`n- name: plain`n  context:`n    cluster: plain-cluster`n    user: plain-user`n")

            $result = Invoke-Collecting { Get-DaprNamespace -KubeConfig $path }

            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterCredentialsOverHttp,*'
            $result.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $result.Errors[0].Exception.Message | Should -BeLike "*$Kind*"
            $result.Errors[0].Exception.Message | Should -BeLike "*$server*"
            $listener.Pending() | Should -BeFalse -Because 'no connection may reach the plain-HTTP listener'
            Get-CollectedText $result | Should -Not -Match 'plain-http-secret'
        } finally {
            $listener.Stop()
        }
    }
}
