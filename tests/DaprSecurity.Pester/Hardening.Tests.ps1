# The cmdlets against what a user or a cluster may throw at them, on the "Dapr installed" seed (prod-orders with its
# statestore): bad input, hostile cluster text, token leaks, and the cluster connection's failures. Table-driven bad
# inputs each give their own catalogue error id and category and make the API server see no write; file inputs that
# are directories, devices, FIFOs or oversized are refused before a byte is read (never /dev/zero until out of memory).

BeforeDiscovery {
    $clusterCmdlets = @(
        'Get-DaprContext'
        'Get-DaprNamespace'
        'Get-DaprDeployment -Namespace prod-orders'
        'Set-DaprTokenSecret -Token $t -Namespace prod-orders'
        'Get-DaprTokenSecret -Namespace prod-orders'
        'Remove-DaprTokenSecret -Namespace prod-orders -Kind App -Force'
        'Set-DaprSidecarAnnotation -Namespace prod-orders -ApiTokenSecret dapr-api-token'
        'Restart-DaprDeployment -Namespace prod-orders'
        'Get-DaprControlPlane'
        'Test-DaprMtls'
        'Get-DaprCertificate'
        'Export-DaprTrustBundle -Path $out'
        'Update-DaprTrustBundle -Confirm:$false'
        'Get-DaprComponentScope -Namespace prod-orders'
        'Set-DaprComponentScope -Namespace prod-orders -Name statestore -AppId orders'
        'Add-DaprComponentScope -Namespace prod-orders -Name statestore -AppId other'
        'Remove-DaprComponentScope -Namespace prod-orders -Name statestore -AppId orders'
        'Get-DaprAccessMatrix -Namespace prod-orders'
    )
    $cases = [Collections.Generic.List[hashtable]]::new()
    function Add-Case([string] $Script, [string] $ErrorId, [string] $Category = 'InvalidArgument') {
        $cases.Add(@{ Script = $Script; ErrorId = $ErrorId; Category = $Category })
    }

    foreach ($cmdlet in $clusterCmdlets) {
        Add-Case "$cmdlet -KubeConfig `$dir" InputPathIsDirectory
        Add-Case "$cmdlet -KubeConfig /dev/zero" InputPathNotRegularFile
        Add-Case "$cmdlet -KubeConfig /dev/null" InputPathNotRegularFile
        Add-Case "$cmdlet -KubeConfig `$fifo" InputPathNotRegularFile
        Add-Case "$cmdlet -KubeConfig `$huge" InputFileTooLarge LimitsExceeded
        # Listing contexts builds no client, so it never reads the key.
        if ($cmdlet -ne 'Get-DaprContext') { Add-Case "$cmdlet -KubeConfig `$badKey" KubeConfigInvalid InvalidData }
    }

    foreach ($path in '/dev/zero', '/dev/urandom', '$fifo') {
        Add-Case "Get-DaprCertificate -Path $path" InputPathNotRegularFile
        Add-Case "Update-DaprTrustBundle -RootKeyPath $path -Confirm:`$false" InputPathNotRegularFile
        Add-Case "Update-DaprTrustBundle -RootCertificatePath $path -IssuerCertificatePath `$pem -IssuerKeyPath `$pem -Confirm:`$false" InputPathNotRegularFile
        Add-Case "Get-DaprComponentScope -Path $path" InputPathNotRegularFile
        Add-Case "Add-DaprComponentScope -Path $path -Name statestore -AppId a" InputPathNotRegularFile
        Add-Case "'plain-token-value' | Set-DaprTokenEnvironment -Path $($path -replace 'zero', 'full')" InputPathNotRegularFile
    }

    Add-Case 'Get-DaprCertificate -Path $hugePem' InputFileTooLarge LimitsExceeded
    Add-Case 'Update-DaprTrustBundle -RootKeyPath $hugePem -Confirm:$false' InputFileTooLarge LimitsExceeded
    Add-Case 'Update-DaprTrustBundle -RootKeyPath $dir -Confirm:$false' InputPathIsDirectory
    Add-Case 'Get-DaprComponentScope -Path $hugeManifest' InputFileTooLarge LimitsExceeded
    Add-Case "'plain-token-value' | Set-DaprTokenEnvironment -Path `$dir" InputPathIsDirectory

    foreach ($addresses in 'not an ip;rm -rf /', '0.0.0.0;x', '127.0.0.1,evil', 'localhost, example.com', '256.1.1.1', "127.0.0.1`n##vso[x]", '::g', '1.2.3.4/24', '*', '127.0.0.1,,::1') {
        Add-Case "Set-DaprSidecarAnnotation -Namespace prod-orders -ListenAddresses '$addresses'" ListenAddressInvalid
    }
    foreach ($name in 'Bad_Name', 'UPPER', '-leading', 'trailing-', 'a..b', 'sp ace', ('a' * 254)) {
        Add-Case "Set-DaprSidecarAnnotation -Namespace prod-orders -ApiTokenSecret '$name'" SecretNameInvalid
    }
    foreach ($claim in "@{ '' = 1 }", "@{ ' ' = 'x' }", "@{ a = { 'script' } }", '@{ a = @{ b = 1 } }', '@{ a = @(1, { 2 }) }', '@{ a = [datetime]::Now }', '@{ a = $null }') {
        Add-Case "New-DaprAppToken -Claim $claim" TokenClaimInvalid
    }

    # Names, patterns, app-ids and tokens given to the writing cmdlets: each refused at the parameter boundary with its own id.
    $namespaceWriters = @(
        'Set-DaprTokenSecret -Token $t -Namespace {0}'
        'Remove-DaprTokenSecret -Kind App -Force -Namespace {0}'
        'Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -Namespace {0}'
        'Restart-DaprDeployment -Namespace {0}'
        'Set-DaprComponentScope -Name statestore -AppId orders -Namespace {0}'
        'Add-DaprComponentScope -Name statestore -AppId other -Namespace {0}'
    )
    $badNamespaces = '$null', "''", "'Bad_NS'", "'-leading'", "'trailing-'", "'with.dot'", "'sp ace'", "'$('a' * 64)'", '"prod`n##vso[task.complete result=Failed]"', "'ns;rm -rf /'"
    foreach ($writer in $namespaceWriters) {
        foreach ($ns in $badNamespaces) { Add-Case ($writer -f $ns) NamespaceNameInvalid }
        Add-Case ($writer -f "'[z-a]'") WildcardPatternInvalid
        Add-Case ($writer -f "'prod-[9-0]*'") WildcardPatternInvalid
    }

    $nameWriters = @(
        'Set-DaprSidecarAnnotation -Namespace prod-orders -ApiTokenSecret dapr-api-token -Name {0}'
        'Restart-DaprDeployment -Namespace prod-orders -Name {0}'
        'Set-DaprComponentScope -Namespace prod-orders -AppId orders -Name {0}'
        'Add-DaprComponentScope -Namespace prod-orders -AppId other -Name {0}'
        'Remove-DaprComponentScope -Namespace prod-orders -AppId orders -Name {0}'
    )
    foreach ($writer in $nameWriters) {
        foreach ($name in "''", "'Bad_Name'", "'a b'", "'$('a' * 254)'") { Add-Case ($writer -f $name) ObjectNameInvalid }
        Add-Case ($writer -f "'[z-a]'") WildcardPatternInvalid
    }

    foreach ($secret in "''", "'Bad_Name'", "'UPPER'", "'-leading'", "'$('a' * 254)'") {
        Add-Case "Set-DaprTokenSecret -Token `$t -Namespace prod-orders -SecretName $secret" SecretNameInvalid
    }
    Add-Case "Remove-DaprTokenSecret -Namespace prod-orders -SecretName 'Bad_Name' -Force" SecretNameInvalid
    Add-Case "Set-DaprSidecarAnnotation -Namespace prod-orders -AppTokenSecret 'app token'" SecretNameInvalid

    foreach ($scopeEdit in 'Set', 'Add', 'Remove') {
        foreach ($appId in "'Bad App'", "'UPPER'", "'-leading'", "'$('a' * 59)'", "'orders', ''") {
            Add-Case "$scopeEdit-DaprComponentScope -Namespace prod-orders -Name statestore -AppId $appId" InvalidAppId
        }
    }

    Add-Case "Restart-DaprDeployment -Namespace prod-orders -Wait -Canary 'Bad_NS'" NamespaceNameInvalid
    Add-Case "Restart-DaprDeployment -Namespace prod-orders -Wait -Canary '[z-a]'" WildcardPatternInvalid
    Add-Case "Set-DaprTokenSecret -Token `$t -Namespace prod-orders -Context '[z-a]'" WildcardPatternInvalid
    Add-Case "'prod-orders', 'Bad_NS' | Set-DaprTokenSecret -Token `$t" NamespaceNameInvalid

    foreach ($token in "('a' * 1MB)", "('a' * 4097)", "@{ token = 'x' }", '42', '([datetime]::UtcNow)', "([uri]'https://example.com')", '"token-with-a-trailing-newline`n"') {
        Add-Case "Set-DaprTokenSecret -Namespace prod-orders -Token $token" TokenMalformed
    }
    Add-Case "@{ token = 'x' } | Set-DaprTokenEnvironment -Path `$out" TokenMalformed

    foreach ($controlPlane in 'Update-DaprTrustBundle -Confirm:$false', 'Update-DaprTrustBundle -RestartOnly -Confirm:$false', 'Export-DaprTrustBundle -Path $out') {
        Add-Case "$controlPlane -ControlPlaneNamespace 'Dapr_System'" NamespaceNameInvalid
        Add-Case "$controlPlane -ControlPlaneNamespace no-such-namespace" DaprControlPlaneNotFound ObjectNotFound
        Add-Case "$controlPlane -ControlPlaneNamespace prod-orders" DaprControlPlaneNotFound ObjectNotFound
    }
    $badInputs = $cases.ToArray()
}

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -ServerArgument '--dapr'
    Import-Module (Get-ModuleManifestPath) -Force

    # A session of its own with the module imported: the streams of what it runs, progress too, are there to read.
    $session = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
    $session.Open()
    $import = [powershell]::Create()
    $import.Runspace = $session
    $null = $import.AddCommand('Import-Module').AddParameter('Name', (Get-ModuleManifestPath)).AddParameter('ErrorAction', 'Stop').Invoke()
    $import.Dispose()

    # Runs $Script in that session ($Variables set first): Text (every stream but the output, as text), Errors, Output.
    # -Screen: what the console shows of it instead: every stream merged into the output and formatted by its views, and
    # what goes to the host alone (WhatIf text), from a transcript.
    function Invoke-AllStreams([string] $Script, [hashtable] $Variables = @{}, [switch] $Screen) {
        foreach ($name in $Variables.Keys) { $session.SessionStateProxy.SetVariable($name, $Variables[$name]) }
        $shell = [powershell]::Create()
        $shell.Runspace = $session
        $transcript = [IO.Path]::Combine($TestDrive, 'screen.txt')
        try {
            $body = if ($Screen) {
                "`$null = Start-Transcript -LiteralPath '$transcript' -UseMinimalHeader; try { & { $Script } 2>&1 3>&1 4>&1 5>&1 6>&1 | Out-String -Width 120 } finally { `$null = Stop-Transcript }"
            } else {
                "& { `$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; $Script }"
            }
            $null = $shell.AddScript($body)
            $errors = [Collections.Generic.List[Management.Automation.ErrorRecord]]::new()
            $output = try { $shell.Invoke() } catch { $errors.Add($_.Exception.InnerException.ErrorRecord) }
            if ($Screen) { return ((-join $output) + [IO.File]::ReadAllText($transcript)) -replace "`e\[[0-9;]*m", '' }
            $errors.AddRange($shell.Streams.Error)
            $text = @(
                $shell.Streams.Warning.Message; $shell.Streams.Verbose.Message; $shell.Streams.Debug.Message
                $shell.Streams.Information | ForEach-Object { "$($_.MessageData)" }
                $shell.Streams.Progress | ForEach-Object { "$($_.Activity) $($_.StatusDescription) $($_.CurrentOperation)" }
                $errors | ForEach-Object { "$_ $($_.ErrorDetails.RecommendedAction) $($_.CategoryInfo)" }
            ) -join "`n"
            [pscustomobject]@{ Text = $text; Errors = $errors.ToArray(); Output = @($output) }
        } finally {
            $shell.Dispose()
        }
    }
}

AfterAll {
    $session.Dispose()
    $lab | Exit-DaprLab
}

Describe 'Bad input' {
    BeforeAll {
        # Paths that must not be read: a directory, a FIFO, sparse oversized files, a kubeconfig with a broken key.
        function New-SparseFile([string] $Name, [long] $Length) {
            $path = [IO.Path]::Combine($dir, $Name)
            $stream = [IO.File]::Create($path)
            try { $stream.SetLength($Length) } finally { $stream.Dispose() }
            $path
        }
        $dir = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'bad-input'))).FullName
        $out = [IO.Path]::Combine($dir, 'out')
        $fifo = [IO.Path]::Combine($dir, 'fifo')
        mkfifo $fifo
        $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $certificate = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=badkey', $key, 'SHA256').CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $pem = [IO.Path]::Combine($dir, 'ok.pem')
        [IO.File]::WriteAllText($pem, $certificate.ExportCertificatePem())
        $base64 = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)) }
        $brokenKey = $key.ExportPkcs8PrivateKeyPem().Replace("`n", "`n!!")
        $badKey = [IO.Path]::Combine($dir, 'badkey.kubeconfig')
        [IO.File]::WriteAllText($badKey, [IO.File]::ReadAllText($lab.KubeConfig).Replace(
                "    token: $($lab.AdminToken)",
                "    client-certificate-data: $(& $base64 $certificate.ExportCertificatePem())`n    client-key-data: $(& $base64 $brokenKey)"))
        $t = "bad-input-token-$([guid]::NewGuid().ToString('N'))"
        $huge = New-SparseFile huge.kubeconfig ((16L -shl 20) + 1)
        $hugePem = New-SparseFile huge.pem ((1L -shl 20) + 1)
        $hugeManifest = New-SparseFile huge.yaml ((64L -shl 20) + 1)

        function Get-LabWrites { [int] (@((Invoke-DaprLabAdmin $lab GET requests).counts | Where-Object verb -in 'create', 'update', 'patch', 'delete', 'deletecollection').count | Measure-Object -Sum).Sum }
    }

    It 'the table holds at least 120 distinct bad inputs to writing cmdlets' -ForEach @{ Table = $badInputs.Script } {
        $writers = 'Set-Dapr', 'Add-Dapr', 'Remove-Dapr', 'Restart-Dapr', 'Update-Dapr', 'Export-Dapr', 'New-Dapr'
        $distinct = $Table | Sort-Object -Unique -CaseSensitive
        @($distinct | Where-Object { $text = $_; $writers | Where-Object { $text.Contains($_) } }).Count | Should -BeGreaterOrEqual 120
    }

    It '<Script> is <ErrorId> and writes nothing' -ForEach $badInputs {
        $writesBefore = Get-LabWrites

        $result = Invoke-Collecting { Invoke-Expression $Script }

        # The first error is the bad input's own (a scope edit then also reports the component it could not find).
        $result.Errors | Should -Not -BeNullOrEmpty
        $first = $result.Errors[0]
        $first.FullyQualifiedErrorId.Split(',')[0] | Should -Be $ErrorId
        "$($first.CategoryInfo.Category)" | Should -Be $Category
        $result.Errors.FullyQualifiedErrorId | Should -Not -Match 'Exception'
        $(if ($first.ErrorDetails) { $first.ErrorDetails.Message } else { $first.Exception.Message }) | Should -Not -BeLike '*##vso`[*' -Because 'a hostile value is shown, never run'
        Get-LabWrites | Should -Be $writesBefore
    }
}

# Cluster and file text written by an attacker (newlines with Azure Pipelines and GitHub Actions commands, terminal
# escapes, a 1 MB string) in every string field the cmdlets read: app-ids, annotations, component scopes and metadata,
# Configuration fields, token Secret metadata, PEM subjects. No stream and no rendered view may carry a live log
# command, a raw escape or a huge line, with and without TF_BUILD=True and GITHUB_ACTIONS=true.
Describe 'Hostile cluster text' {
    BeforeDiscovery {
        $hostileScripts = @(
            'Get-DaprDeployment -Namespace hostile-a'
            'Get-DaprComponentScope -Namespace hostile-a'
            'Get-DaprAccessMatrix -Namespace hostile-a'
            # Pivot rows have no view (their columns are the components), so their text is sanitized in the rows themselves.
            'Get-DaprAccessMatrix -Namespace hostile-a -Pivot'
            'Get-DaprAccessMatrix -Namespace hostile-a -Pivot | Format-List'
            'Get-DaprTokenSecret -Namespace hostile-a'
            'Set-DaprComponentScope -Namespace hostile-a -Name statestore -AppId orders -WhatIf'
            'Restart-DaprDeployment -Namespace hostile-a -WhatIf'
            'Get-DaprDeployment -Namespace hostile-a | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -WhatIf'
            'Get-DaprCertificate -Path $pem'
            'Test-DaprMtls'
            'Get-DaprControlPlane'
        )
        $hostileRuns = foreach ($ci in '', 'TF_BUILD', 'GITHUB_ACTIONS') { foreach ($script in $hostileScripts) { @{ CI = $ci; Script = $script } } }
    }

    BeforeAll {
        $payload = "x`r`n##vso[task.setvariable variable=pwned]1`n##vso[task.complete result=Failed]`n::error::pwned`n##[error]forged `e[31mred`e]0;title`a$([char] 0x9b)2J$([char] 0x2028)end"
        $huge = $payload + ('A' * 1MB)
        $ns = 'hostile-a'
        $manifests = @(
            @{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = $ns } }
            @{
                apiVersion = 'apps/v1'; kind = 'Deployment'; metadata = @{ name = 'hostile'; namespace = $ns; annotations = @{ note = $payload } }
                spec       = @{
                    replicas = 1; selector = @{ matchLabels = @{ app = 'hostile' } }
                    template = @{
                        metadata = @{ labels = @{ app = 'hostile' }; annotations = @{
                                'dapr.io/enabled' = 'true'; 'dapr.io/app-id' = $payload; 'dapr.io/app-token-secret' = $payload; 'dapr.io/api-token-secret' = $huge
                                'dapr.io/config' = $payload; 'dapr.io/sidecar-listen-addresses' = $payload
                            }
                        }
                        spec     = @{ containers = @(@{ name = 'app'; image = $payload }) }
                    }
                }
            }
            @{
                apiVersion = 'dapr.io/v1alpha1'; kind = 'Component'; metadata = @{ name = 'statestore'; namespace = $ns; annotations = @{ note = $payload } }
                spec       = @{ type = "state.$payload"; version = $payload; metadata = @(@{ name = $payload; value = $payload }) }
                scopes     = @($payload, $huge, 'orders')
            }
            @{
                apiVersion = 'dapr.io/v1alpha1'; kind = 'Configuration'; metadata = @{ name = 'appconfig'; namespace = $ns }
                spec       = @{
                    accessControl = @{ defaultAction = $payload; trustDomain = $payload; policies = @(@{ appId = $payload; defaultAction = $payload; namespace = $payload }) }
                    mtls          = @{ enabled = $true; workloadCertTTL = $payload }
                }
            }
            @{
                apiVersion = 'v1'; kind = 'Secret'
                metadata   = @{ name = 'app-api-token'; namespace = $ns; annotations = @{
                        'daprsecurity.io/token-fingerprint' = $payload; 'daprsecurity.io/token-updated-at' = $payload; 'daprsecurity.io/kind' = $payload; note = $huge
                    }
                }
                stringData = @{ token = 'hostile-token-value-0123456789' }
            }
        )
        foreach ($manifest in $manifests) { Set-DaprLabObject $lab ($manifest | ConvertTo-Json -Depth 10 -Compress) }

        $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $subject = [Security.Cryptography.X509Certificates.X500DistinguishedNameBuilder]::new()
        $subject.AddOrganizationName($payload)
        $subject.AddCommonName($payload)
        $certificate = [Security.Cryptography.X509Certificates.CertificateRequest]::new($subject.Build(), $key, 'SHA256').CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(30))
        $pem = [IO.Path]::Combine($TestDrive, 'hostile.crt')
        [IO.File]::WriteAllText($pem, $certificate.ExportCertificatePem())

        function Assert-Harmless([string] $Text) {
            foreach ($line in $Text.Split("`n")) {
                $cut = if ($line.Length -gt 300) { $line.Substring(0, 300) } else { $line }
                $azure = [regex]::Matches($line, '##vso\[', 'IgnoreCase').Count
                ($azure -eq 0 -or ($azure -eq 1 -and $line.StartsWith('##vso[task.logissue ', 'Ordinal'))) | Should -BeTrue -Because "a live Azure Pipelines command: $cut"
                $line.Contains('##[') | Should -BeFalse -Because "a live Azure Pipelines group command: $cut"
                $line -cmatch '^\s*::[a-z-]+' | Should -BeFalse -Because "a live GitHub Actions command: $cut"
                $line.IndexOfAny([char[]] @(0x1b, 0x07, 0x9b, 0x2028, 0x0d)) | Should -Be -1 -Because "a raw control character: $cut"
                $line.Length | Should -BeLessThan 8192
            }
        }
    }

    It 'shows <Script> harmlessly (CI: <CI>)' -ForEach $hostileRuns {
        if ($CI) { Set-Item "env:$CI" $(if ($CI -eq 'TF_BUILD') { 'True' } else { 'true' }) }
        try {
            # Output objects keep raw values by design; every other stream is text as shown.
            Assert-Harmless (Invoke-AllStreams $Script @{ pem = $pem }).Text
            $screen = Invoke-AllStreams $Script @{ pem = $pem } -Screen
            Assert-Harmless $screen
            # The annotation is refused (its secret does not exist); the other two show what they would do.
            if ($Script -match '^(Set-DaprComponentScope|Restart-DaprDeployment) .*-WhatIf$') { $screen | Should -Match 'What if:' }
        } finally {
            Remove-Item env:TF_BUILD, env:GITHUB_ACTIONS -ErrorAction Ignore
        }
    }

    It 'finds an unsafe line harmful' -ForEach @(@{ Line = '##vso[task.complete result=Failed]' }, @{ Line = '::error::x' }, @{ Line = 'red <ESC>[31m' }, @{ Line = 'A' * 8192 }) {
        { Assert-Harmless $Line.Replace('<ESC>', "`e") } | Should -Throw
    }

    It 'keeps the raw values in output objects' {
        (Get-DaprDeployment -Namespace hostile-a | Where-Object Name -EQ hostile).AppId | Should -BeExactly $payload
    }
}

# Token cmdlets with -Verbose -Debug (and -WhatIf where they have it), on success and error paths: the token appears in
# no stream, not on the screen (WhatIf text), nowhere inside the exceptions of the errors. (Set-DaprTokenEnvironment
# -WhatIf is Tokens.Tests', Test-DaprTokenEnforcement's streams are TokenEnforcement.Tests'.)
Describe 'Token leaks' {
    BeforeAll {
        $probe = "leak-probe-$([guid]::NewGuid().ToString('N'))"
        Set-DaprLabObject $lab (@(
                Get-DaprLabAppManifest leak-a orders -AppTokenSecret app-api-token -Token @{ 'dapr-api-token' = 'another-token' }
            ) -join "`n---`n")
        $user = Invoke-DaprLabAdmin $lab POST users @{ name = 'leak-limited'; forbidden = @(@{ verbs = 'create,update,patch'; resources = 'secrets' }) }
        $limited = [IO.Path]::Combine($TestDrive, 'leak-limited')
        [IO.File]::WriteAllText($limited, $user.kubeconfig)
        $variables = @{ t = $probe; probe = $probe; limited = $limited }

        # Every string reachable from the errors' exceptions (messages, inner exceptions, HTTP requests they carry), two levels deep.
        function Get-ExceptionText($Errors) {
            $text = [Text.StringBuilder]::new()
            $dump = {
                param($value, [int] $depth)
                if ($null -eq $value -or $depth -gt 2) { return }
                if ($value -is [string] -or $value -is [ValueType]) { $null = $text.AppendLine("$value"); return }
                if ($value -is [Collections.IEnumerable]) { foreach ($item in @($value) | Select-Object -First 20) { & $dump $item ($depth + 1) }; return }
                foreach ($property in $value.GetType().GetProperties('Public, Instance')) {
                    if ($property.GetIndexParameters().Count -or $property.Name -eq 'TargetSite') { continue }
                    $item = try { $property.GetValue($value) } catch { $null }
                    & $dump $item ($depth + 1)
                }
            }
            foreach ($record in $Errors) { for ($e = $record.Exception; $e; $e = $e.InnerException) { & $dump $e 0 } }
            $text.ToString()
        }

        function Assert-NoToken([string] $Text) {
            $Text | Should -Not -Match $probe
            $Text | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($probe))))
        }

        # What a user could see of a run: every stream, the output formatted every way, the errors' exceptions.
        function Get-LeakText($Run) {
            (@($Run.Text, ($Run.Output | Format-List * | Out-String), ($Run.Output | ConvertTo-Json -Depth 4 -WarningAction Ignore), (Get-ExceptionText $Run.Errors))) -join "`n"
        }
    }

    It 'shows no token in a WhatIf run of <_>' -ForEach @(
        'Set-DaprTokenSecret -Token $t -Namespace leak-* -Verbose -Debug -WhatIf'
        'Set-DaprSidecarAnnotation -Namespace leak-a -ApiTokenSecret dapr-api-token -MountTokenInApp -Verbose -Debug -WhatIf'
        'Restart-DaprDeployment -Namespace leak-a -Verbose -Debug -WhatIf'
        'Remove-DaprTokenSecret -Namespace leak-a -Kind Api -Force -Verbose -Debug -WhatIf'
    ) {
        $run = Invoke-AllStreams $_ $variables
        $screen = Invoke-AllStreams $_ $variables -Screen

        $run.Errors | Should -BeNullOrEmpty
        $screen | Should -Match 'What if:'
        Assert-NoToken ((Get-LeakText $run) + $screen)
    }

    It 'shows no token in a run of <_> nor in its errors' -ForEach @(
        'Set-DaprTokenSecret -Token $t -Namespace leak-*, no-such-namespace -PassThru -Verbose -Debug | Restart-DaprDeployment -Wait -Timeout 20 -Verbose -Debug'
        'Set-DaprTokenSecret -Token $t -Namespace leak-a -KubeConfig $limited -Verbose -Debug'
        'Set-DaprTokenSecret -Namespace leak-a -Token "$probe with a space" -Verbose -Debug'
        'Get-DaprTokenSecret -Namespace leak-* -Verbose -Debug'
        'Get-DaprDeployment -Namespace leak-* -Verbose -Debug'
        'Get-DaprNamespace leak-* -Verbose -Debug'
    ) {
        Assert-NoToken (Get-LeakText (Invoke-AllStreams $_ $variables))
    }

    It 'finds a token that <_> shows' -ForEach @(
        'Write-Verbose "x $t"'
        'Write-Error -Exception ([InvalidOperationException]::new("x", [Exception]::new($t)))'
        '[pscustomobject]@{ Inner = [pscustomobject]@{ Value = $t } }'
    ) {
        { Assert-NoToken (Get-LeakText (Invoke-AllStreams $_ $variables)) } | Should -Throw
    }

    It 'shows no part of the token New-DaprAppToken creates' {
        $run = Invoke-AllStreams "New-DaprAppToken -Claim @{ env = 'test' } -ExpiresIn ([timespan]::FromDays(1)) -Verbose -Debug"
        $token = [Net.NetworkCredential]::new('', $run.Output[0].Token).Password

        $run.Errors | Should -BeNullOrEmpty
        $text = $run.Text + ($run.Output | Out-String) + ($run.Output | Format-List * | Out-String)
        $text | Should -Not -Match ([regex]::Escape($token))
        $text | Should -Not -Match ([regex]::Escape($token.Split('.')[2]))
    }
}

# What every cluster cmdlet inherits from its connection: TLS, clear errors for an unreachable server and an unknown
# context, one client reused until its context changes. (Ctrl+C on a hung server is Module.Tests'.)
Describe 'Cluster connection' {
    BeforeAll {
        $kubeconfig = [IO.File]::ReadAllText($lab.KubeConfig)
        $server = ([regex]::Match($kubeconfig, 'server: (\S+)')).Groups[1].Value
        function Write-KubeConfig([string] $Name, [string] $Text) { $path = [IO.Path]::Combine($TestDrive, $Name); [IO.File]::WriteAllText($path, $Text); $path }
    }

    It 'refuses a server certificate from another CA with one clear error' {
        $otherCa = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $foreign = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=someone else's CA", $otherCa, 'SHA256').CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $path = Write-KubeConfig foreign-ca ($kubeconfig -replace 'certificate-authority-data: .*', "certificate-authority-data: $([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($foreign.ExportCertificatePem())))")

        $result = Invoke-Collecting { Get-DaprControlPlane -KubeConfig $path }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterTlsFailure,*'
        "$($result.Errors[0].CategoryInfo.Category)" | Should -Be 'SecurityError'
        $result.Errors[0].Exception.Message | Should -BeLike "*$server*"
        "$($result.Errors[0])" | Should -Not -BeLike '*   at *'
        $result.Output | Should -BeNullOrEmpty
    }

    It 'makes an unreachable server one clear error naming it' {
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $closedPort = $probe.LocalEndpoint.Port
        $probe.Stop()
        $path = Write-KubeConfig closed-port $kubeconfig.Replace($server, "https://127.0.0.1:$closedPort")

        $result = Invoke-Collecting { Get-DaprControlPlane -KubeConfig $path }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        "$($result.Errors[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        $result.Errors[0].Exception.Message | Should -BeLike "*https://127.0.0.1:$closedPort*"
    }

    It 'makes an unknown context a clear error' {
        $result = Invoke-Collecting { Get-DaprControlPlane -Context no-such-context }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KubeContextNotFound,*'
        $result.Errors[0].TargetObject | Should -Be 'no-such-context'
    }

    It 'reuses the client across invocations until its context changes in the kubeconfig' {
        $path = Write-KubeConfig reuse $kubeconfig
        $connection = {
            $verbose = @(Get-DaprControlPlane -KubeConfig $path -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }) -join "`n"
            $number = [regex]::Match($verbose, 'connection #(\d+)')
            $number.Success | Should -BeTrue -Because "the verbose stream names the connection: $verbose"
            [int] $number.Groups[1].Value
        }

        $first = & $connection
        $second = & $connection
        [IO.File]::SetLastWriteTimeUtc($path, [DateTime]::UtcNow.AddMinutes(1))
        $afterTouch = & $connection
        $null = Write-KubeConfig reuse ($kubeconfig -replace 'namespace: .*', 'namespace: dapr-system')
        $afterEdit = & $connection

        $second | Should -Be $first
        $afterTouch | Should -Be $first
        $afterEdit | Should -Not -Be $first
    }
}

# A Git checkout may hold links to folders, one of them back to a parent: a -Path scan does not follow them (as
# kubectl apply -R does not), says so, and ends, instead of scanning loop/loop/loop/... until paths are too long.
Describe 'Manifest folders with links' {
    BeforeAll {
        $repo = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'linked-repo'))).FullName
        $shared = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'shared-components'))).FullName
        $component = "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata:`n  name: {0}`n  namespace: shop`nspec:`n  type: state.redis`n  version: v1`n"
        [IO.File]::WriteAllText([IO.Path]::Combine($repo, 'statestore.yaml'), $component -f 'statestore')
        [IO.File]::WriteAllText([IO.Path]::Combine($shared, 'pubsub.yaml'), $component -f 'pubsub')
        $null = New-Item -ItemType SymbolicLink -Path ([IO.Path]::Combine($repo, 'loop')) -Target $repo
        $null = New-Item -ItemType SymbolicLink -Path ([IO.Path]::Combine($repo, 'shared')) -Target $shared
    }

    It '<Command> reads each file once and warns of each link it does not follow' -ForEach @(
        @{ Command = 'Get-DaprComponentScope -Path $repo' }
        @{ Command = 'Test-DaprSecurity -Path $repo' }
    ) {
        $result = Invoke-Collecting { Invoke-Expression $Command }

        $result.Errors | Should -BeNullOrEmpty
        $paths = @($result.Output | ForEach-Object Path | Where-Object { $_ })
        @($paths | Where-Object { $_ -like '*statestore.yaml' }).Count | Should -BeGreaterThan 0
        @($paths | Where-Object { $_ -like '*loop*' -or $_ -like '*pubsub*' }) | Should -BeNullOrEmpty
        $result.Warnings | Should -HaveCount 2
        $result.Warnings | Should -Contain "Skipped $([IO.Path]::Combine($repo, 'loop')): a link to a folder ($repo), not followed (kubectl apply -R does not follow one either); give it to -Path to scan it."
        $result.Warnings[1] | Should -BeLike "Skipped *shared: a link to a folder ($shared)*"
    }
}

# Long lists and large mappings in a manifest stay linear (a line for each finding, not a walk of the whole list each
# time), and no result keeps the file's text: a Secret's stringData beside a Deployment must not be reachable from one.
Describe 'Manifests with huge lists' {
    BeforeAll {
        $huge = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'huge'))).FullName
        $scopes = -join (0..2999 | ForEach-Object { "- app$_`n" })
        [IO.File]::WriteAllText([IO.Path]::Combine($huge, 'wide.yaml'), "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata: {name: wide, namespace: shop}`nspec: {type: state.redis, version: v1}`nscopes:`n$scopes")
        $metadata = -join (0..1999 | ForEach-Object { "  - name: password$_`n    value: hunter$_`n" })
        [IO.File]::WriteAllText([IO.Path]::Combine($huge, 'plain.yaml'), "apiVersion: dapr.io/v1alpha1`nkind: Component`nmetadata: {name: plain, namespace: shop}`nspec:`n  type: state.redis`n  version: v1`n  metadata:`n$metadata" + "scopes: [real]`n")
        $annotations = -join (0..1999 | ForEach-Object { "        dapr.io/typo-$('{0:D4}' -f $_): x`n" })
        [IO.File]::WriteAllText([IO.Path]::Combine($huge, 'real.yaml'), "apiVersion: v1`nkind: Secret`nmetadata: {name: real-token, namespace: shop}`nstringData: {token: never-in-a-result-1f3b}`n---`napiVersion: apps/v1`nkind: Deployment`nmetadata: {name: real, namespace: shop}`nspec:`n  template:`n    metadata:`n      annotations:`n        dapr.io/enabled: 'true'`n        dapr.io/app-id: real`n$annotations    spec:`n      containers: [{name: real, image: real}]`n")

        # Every string reachable from an object through its fields, public or not, to a depth that covers any tree.
        function Get-ReachableString($Root) {
            $seen = [Collections.Generic.HashSet[object]]::new([Collections.Generic.ReferenceEqualityComparer]::Instance)
            $stack = [Collections.Generic.Stack[object]]::new()
            $stack.Push($Root)
            while ($stack.Count -gt 0) {
                $object = $stack.Pop()
                if ($null -eq $object -or $object.GetType().IsPrimitive -or $object -is [enum] -or -not $seen.Add($object)) { continue }
                if ($object -is [string]) { $object; continue }
                if ($object -is [Collections.IEnumerable]) { foreach ($item in $object) { $stack.Push($item) } }
                foreach ($field in $object.GetType().GetFields([Reflection.BindingFlags]'Instance,Public,NonPublic')) { $stack.Push($field.GetValue($object)) }
            }
        }
    }

    It 'Test-DaprSecurity -Path gives every finding its own line, and no result reaches the text of the file it came from' {
        $results = @(Test-DaprSecurity -Path $huge)

        $unknown = @($results | Where-Object RuleId -EQ DAPR-SCOPE-003 | Where-Object Outcome -EQ Fail)
        $unknown | Should -HaveCount 3000
        "$($unknown[-1].Path):$($unknown[-1].Line):$($unknown[-1].Column)" | Should -Be 'wide.yaml:3005:3'
        $plain = @($results | Where-Object RuleId -EQ DAPR-SECRET-001 | Where-Object Outcome -EQ Fail)
        $plain | Should -HaveCount 2000
        "$($plain[-1].Path):$($plain[-1].Line)" | Should -Be 'plain.yaml:4007'
        $typos = @($results | Where-Object RuleId -EQ DAPR-SIDECAR-005)
        $typos | Should -HaveCount 2000
        "$($typos[-1].Path):$($typos[-1].Line):$($typos[-1].Column)" | Should -Be 'real.yaml:2014:9'
        @($results | ForEach-Object { Get-ReachableString $_ } | Where-Object { $_ -like '*never-in-a-result*' }) | Should -BeNullOrEmpty
    }

    It 'Get-DaprComponentScope -Path and Add-DaprComponentScope -Path read and edit a list of 3,000 scopes' {
        $wide = Get-DaprComponentScope -Path $huge -Name wide -WarningAction SilentlyContinue
        $wide.Findings | Should -HaveCount 3000
        $wide.Findings[-1].Line | Should -Be 3005

        $edited = Add-DaprComponentScope -Path ([IO.Path]::Combine($huge, 'wide.yaml')) -Namespace shop -Name wide -AppId real -PassThru -WarningAction SilentlyContinue

        $edited.Scopes | Should -HaveCount 3001
        ([IO.File]::ReadAllText([IO.Path]::Combine($huge, 'wide.yaml'))) | Should -BeLike "*- app2999`n- real`n"
    }
}

# dapr.io/enabled goes through Dapr's IsTruthy (y, yes, true, t, on, 1, any case, trimmed): "yes please" injects no
# sidecar, so that workload's token annotations name no secret anyone uses, while " Yes " is a Dapr app like "true".
Describe 'Annotations of the wrong type' {
    BeforeAll {
        $ns = 'wrong-types'
        $deployment = {
            param([string] $Name, [string] $Enabled, [string] $Secret)
            @{
                apiVersion = 'apps/v1'; kind = 'Deployment'; metadata = @{ name = $Name; namespace = $ns }
                spec       = @{
                    replicas = 1; selector = @{ matchLabels = @{ app = $Name } }
                    template = @{
                        metadata = @{ labels = @{ app = $Name }; annotations = @{ 'dapr.io/enabled' = $Enabled; 'dapr.io/app-id' = $Name; 'dapr.io/app-token-secret' = $Secret } }
                        spec     = @{ containers = @(@{ name = 'app'; image = 'app' }) }
                    }
                }
            } | ConvertTo-Json -Depth 10 -Compress
        }
        Set-DaprLabObject $lab (@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = @{ name = $ns } } | ConvertTo-Json -Compress)
        Set-DaprLabObject $lab (& $deployment 'not-dapr' 'yes please' 'not-dapr-token')
        Set-DaprLabObject $lab (& $deployment 'truthy' ' Yes ' 'truthy-token')
        Set-DaprLabObject $lab (@{ apiVersion = 'v1'; kind = 'Secret'; metadata = @{ name = 'not-dapr-kept'; namespace = $ns }; stringData = @{ token = 'x' * 32 } } | ConvertTo-Json -Compress)
        Set-DaprLabObject $lab (& $deployment 'not-dapr-2' 'on second thought' 'not-dapr-kept')
        Set-DaprLabObject $lab (@{ apiVersion = 'v1'; kind = 'Secret'; metadata = @{ name = 'truthy-kept'; namespace = $ns }; stringData = @{ token = 'y' * 32 } } | ConvertTo-Json -Compress)
        Set-DaprLabObject $lab (& $deployment 'truthy-2' '1' 'truthy-kept')
    }

    It 'counts only Dapr workloads as consumers of a token secret' {
        $result = Invoke-Collecting { Get-DaprTokenSecret -Namespace wrong-types }

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Where-Object SecretName -EQ truthy-token | ForEach-Object Status | Should -Be Dangling
        $result.Output | Where-Object { $_.Consumers -match 'not-dapr' } | Should -BeNullOrEmpty -Because 'a workload without a sidecar uses no token secret'
        $result.Warnings | Should -HaveCount 1
        $result.Warnings[0] | Should -BeLike '*truthy*truthy-token*'
        $result.Output | Where-Object SecretName -EQ truthy-kept | ForEach-Object { "$($_.Status) $($_.Consumers)" } | Should -Be 'InUse Deployment/truthy-2'
    }

    It 'refuses to remove a secret a Dapr workload ("1") uses, naming it in a sentence' {
        $result = Invoke-Collecting { Remove-DaprTokenSecret -Namespace wrong-types -SecretName truthy-kept -WhatIf }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'TokenSecretInUse,*'
        $result.Errors[0].TargetObject | Should -Be 'wrong-types/truthy-kept'
        $result.Errors[0].Exception.Message | Should -BeLike '*Deployment wrong-types/truthy-2 references it, and its pods would fail*'
    }

    It 'removes a secret that only a workload without a sidecar names' {
        $result = Invoke-Collecting { Remove-DaprTokenSecret -Namespace wrong-types -SecretName not-dapr-kept -WhatIf }

        $result.Errors | Should -BeNullOrEmpty
    }
}
