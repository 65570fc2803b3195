# Test-DaprTokenEnforcement against small HTTP apps on loopback that check (or do not check) the dapr-api-token header:
# no cluster is involved.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module (Get-ModuleManifestPath) -Force
    $token = 'the-right-token'

    function Get-FreePort {
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $probe.Start()
        try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
    }

    # An app on 127.0.0.1 that answers every request by its dapr-api-token header: -WithoutToken when absent, -WithToken
    # when it is -Expected, -WithWrongToken otherwise (an app checking its token: 401, 200, 403). Served from its own
    # runspace until Stop-TokenCheckingApp.
    function Start-TokenCheckingApp([string] $Expected = $token, [int] $WithoutToken = 401, [int] $WithToken = 200, [int] $WithWrongToken = 403) {
        $port = Get-FreePort
        $listener = [Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $serve = {
            param($listener, $expected, $codes)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { return }
                $header = $context.Request.Headers['dapr-api-token']
                $context.Response.StatusCode = if ($null -eq $header) { $codes[0] } elseif ($header -ceq $expected) { $codes[1] } else { $codes[2] }
                $context.Response.Close()
            }
        }
        $shell = [powershell]::Create().AddScript($serve).AddArgument($listener).AddArgument($Expected).AddArgument(@($WithoutToken, $WithToken, $WithWrongToken))
        $null = $shell.BeginInvoke()
        [pscustomobject]@{ Port = $port; Url = "http://127.0.0.1:$port/orders"; Listener = $listener; Shell = $shell }
    }

    function Stop-TokenCheckingApp($App) {
        $App.Listener.Close()
        $App.Shell.Dispose()
    }
}

Describe 'Test-DaprTokenEnforcement' {
    AfterEach { if ($app) { Stop-TokenCheckingApp $app; $app = $null } }

    It 'calls an app that checks the token Enforced, with the status of each probe' {
        $app = Start-TokenCheckingApp

        $result = Test-DaprTokenEnforcement -Uri $app.Url -Token $token

        "$($result.Status) $($result.Enforced)" | Should -Be 'Enforced True'
        "$($result.WithoutToken) $($result.WithWrongToken) $($result.WithToken)" | Should -Be '401 403 200'
    }

    It 'calls an app that never checks NotEnforced, with advice' {
        $app = Start-TokenCheckingApp -WithoutToken 200 -WithWrongToken 200

        $result = Test-DaprTokenEnforcement -Uri $app.Url -Token $token

        "$($result.Status) $($result.Enforced)" | Should -Be 'NotEnforced False'
        $result.Message | Should -BeLike '*does not check APP_API_TOKEN*'
    }

    It 'calls an app that only checks the header is present WrongTokenAccepted' {
        $app = Start-TokenCheckingApp -WithWrongToken 200

        "$((Test-DaprTokenEnforcement -Uri $app.Url -Token $token).Status)" | Should -Be 'WrongTokenAccepted'
    }

    It 'calls an endpoint expecting another token TokenRejected' {
        $app = Start-TokenCheckingApp -Expected 'some-other-token'

        "$((Test-DaprTokenEnforcement -Uri $app.Url -Token $token).Status)" | Should -Be 'TokenRejected'
    }

    It 'warns that daprd health is never token-checked' {
        $app = Start-TokenCheckingApp -WithoutToken 204 -WithToken 204 -WithWrongToken 204

        $result = Invoke-Collecting { Test-DaprTokenEnforcement -Uri "http://127.0.0.1:$($app.Port)/v1.0/healthz" -Token $token -Kind Api }

        $result.Errors | Should -BeNullOrEmpty
        $result.Warnings | Where-Object { $_ -like '*/v1.0/healthz*' } | Should -Not -BeNullOrEmpty
        $result.Output | Should -HaveCount 1
        $result.Output[0].Message | Should -BeLike '*DAPR_API_TOKEN is not set*'
    }

    It 'makes an unreachable endpoint a connection error' {
        { Test-DaprTokenEnforcement -Uri "http://127.0.0.1:$(Get-FreePort)/" -Token $token } |
            Should -Throw -ErrorId 'TokenEndpointUnreachable,DaprSecurity.Commands.Tokens.TestDaprTokenEnforcementCommand'
        $result = Invoke-Collecting { Test-DaprTokenEnforcement -Uri "http://127.0.0.1:$(Get-FreePort)/" -Token $token }
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'never shows the piped token on any stream' {
        $app = Start-TokenCheckingApp

        $result = Invoke-Collecting { $token | Test-DaprTokenEnforcement -Uri $app.Url -Verbose -Debug }

        $result.Errors | Should -BeNullOrEmpty
        $result.Verbose | Should -Not -BeNullOrEmpty
        Get-CollectedText $result | Should -Not -Match $token
    }
}
