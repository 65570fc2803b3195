# New-DaprAppToken and Set-DaprTokenEnvironment as a user runs them: no cluster; the token never shows except where
# asked for.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module (Get-ModuleManifestPath) -Force

    function ConvertFrom-Base64Url([string] $Text) {
        $base64 = $Text.Replace('-', '+').Replace('_', '/')
        [Convert]::FromBase64String($base64.PadRight($base64.Length + (4 - $base64.Length % 4) % 4, '='))
    }
}

Describe 'New-DaprAppToken' {
    It 'makes an App JWT by default, its token a SecureString whose SHA-256 gives the fingerprint' {
        $token = New-DaprAppToken

        $token.PSObject.TypeNames[0] | Should -Be 'DaprSecurity.Output.DaprToken'
        "$($token.Kind) $($token.Format) $($token.Algorithm)" | Should -Be 'App Jwt HS256'
        $token.Token | Should -BeOfType [securestring]
        $plain = $token.Token | ConvertFrom-SecureString -AsPlainText
        $plain.Split('.') | Should -HaveCount 3
        $hash = [Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($plain))
        $token.Fingerprint | Should -Be ([Convert]::ToHexString($hash).Substring(0, 12).ToLowerInvariant())
        $token.IssuedAt | Should -Not -BeNullOrEmpty
        $token.Id | Should -Not -BeNullOrEmpty
        "$token" + ($token | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($plain))
    }

    It 'returns the token string with -AsPlainText; -Format Opaque gives 43 base64url characters' {
        $jwt = New-DaprAppToken -Kind Api -ExpiresIn ([timespan]::FromDays(1)) -Issuer ops -AsPlainText
        $opaque = New-DaprAppToken -Format Opaque -AsPlainText

        $jwt | Should -BeOfType [string]
        $jwt.Split('.') | Should -HaveCount 3
        $opaque | Should -MatchExactly '^[A-Za-z0-9_-]{43}$'
    }

    It 'signs with the given key and carries the given claims' {
        $plainKey = 'k' * 64
        $key = ConvertTo-SecureString $plainKey -AsPlainText -Force

        $parts = (New-DaprAppToken -SigningKey $key -Algorithm HS512 -Subject ci -Claim @{ env = 'prod'; shard = 7 } -AsPlainText).Split('.')

        $payload = [Text.Encoding]::UTF8.GetString((ConvertFrom-Base64Url $parts[1])) | ConvertFrom-Json
        $payload.env | Should -Be 'prod'
        $payload.shard | Should -Be 7
        $payload.sub | Should -Be 'ci'
        $hmac = [Security.Cryptography.HMACSHA512]::new([Text.Encoding]::UTF8.GetBytes($plainKey))
        ConvertFrom-Base64Url $parts[2] | Should -Be $hmac.ComputeHash([Text.Encoding]::ASCII.GetBytes("$($parts[0]).$($parts[1])"))
    }

    It 'refuses a short signing key with a clear error that never shows the key' {
        $result = Invoke-Collecting { New-DaprAppToken -SigningKey (ConvertTo-SecureString 'too-short-key-material' -AsPlainText -Force) }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be 'SigningKeyTooShort,DaprSecurity.Commands.Tokens.NewDaprAppTokenCommand'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($result.Errors[0])" | Should -BeLike '*HS256 needs at least 32 bytes*'
        Get-CollectedText $result | Should -Not -Match 'too-short-key-material'
        $result.Output | Should -BeNullOrEmpty
    }

    Context 'Azure Pipelines' {
        BeforeEach { $tfBuildBefore = $env:TF_BUILD }
        AfterEach { $env:TF_BUILD = $tfBuildBefore }

        It 'makes -AdoVariable outside a pipeline an error and creates nothing' {
            $env:TF_BUILD = $null

            $result = Invoke-Collecting { New-DaprAppToken -AdoVariable DAPR_TOKEN }

            $result.Errors | Should -HaveCount 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AzurePipelinesNotDetected,*'
            $result.Output | Should -BeNullOrEmpty
            $result.Information | Should -BeNullOrEmpty
        }

        It 'publishes -AdoVariable as a secret variable on the information stream only, and names it by fingerprint elsewhere' {
            $env:TF_BUILD = 'True'

            $result = Invoke-Collecting { New-DaprAppToken -Format Opaque -AdoVariable DAPR_TOKEN -Verbose }

            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -HaveCount 1
            $plain = $result.Output[0].Token | ConvertFrom-SecureString -AsPlainText
            $result.Information | Should -Be "##vso[task.setvariable variable=DAPR_TOKEN;issecret=true]$plain"
            ($result.Verbose + $result.Warnings + "$($result.Output[0])") -join "`n" | Should -Not -Match ([regex]::Escape($plain))
            $result.Verbose | Where-Object { $_ -like '*DAPR_TOKEN*' -and $_ -like "*$($result.Output[0].Fingerprint)*" } | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Set-DaprTokenEnvironment' {
    BeforeEach {
        $before = $env:DAPR_API_TOKEN, $env:APP_API_TOKEN
        $env:DAPR_API_TOKEN = $env:APP_API_TOKEN = $null
    }
    AfterEach { $env:DAPR_API_TOKEN, $env:APP_API_TOKEN = $before }

    It 'sets DAPR_API_TOKEN for this process from a piped Api token' {
        $token = New-DaprAppToken -Kind Api

        $result = $token | Set-DaprTokenEnvironment -PassThru

        $env:DAPR_API_TOKEN | Should -Be ($token.Token | ConvertFrom-SecureString -AsPlainText)
        "$($result.Variable) $($result.Target)" | Should -Be 'DAPR_API_TOKEN Process'
    }

    It 'writes an owner-only dotenv file relative to the current location, and sets no variable' {
        Push-Location $TestDrive
        try {
            $result = 'plain-token-value' | Set-DaprTokenEnvironment -Path dapr.env
        } finally {
            Pop-Location
        }

        $path = [IO.Path]::Combine($TestDrive, 'dapr.env')
        [IO.File]::ReadAllText($path) | Should -BeExactly "APP_API_TOKEN=plain-token-value`n"
        if (-not $IsWindows) { [IO.File]::GetUnixFileMode($path) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite') }
        $env:APP_API_TOKEN | Should -BeNullOrEmpty
        $result | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf and names the token only by fingerprint' {
        $screen = Invoke-Pwsh -Script "Import-Module '$(Get-ModuleManifestPath)'; 'whatif-secret-token' | Set-DaprTokenEnvironment -Kind Api -WhatIf -Verbose; `"set: `$([bool] `$env:DAPR_API_TOKEN)`""

        $screen.Output | Should -Match 'What if:'
        $screen.Output | Should -Match 'set: False'
        $screen.Output | Should -Not -Match 'whatif-secret-token'
    }

    It 'refuses a malformed token' {
        $result = Invoke-Collecting { "token-with-newline`n" | Set-DaprTokenEnvironment }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'TokenMalformed,*'
        $env:APP_API_TOKEN | Should -BeNullOrEmpty
    }
}
