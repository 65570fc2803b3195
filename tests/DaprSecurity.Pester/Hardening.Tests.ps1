# Bad and hostile input through the cmdlets, against the "Dapr installed" seed (prod-orders with its statestore):
# table-driven bad inputs each give their own catalogue error id and category and make the API server see no write;
# file inputs that are directories, devices, FIFOs or oversized are refused before a byte is read (never /dev/zero
# until out of memory).

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
}

AfterAll {
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
