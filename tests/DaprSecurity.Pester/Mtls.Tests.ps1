# Test-DaprMtls against the "Dapr installed" seed (--dapr: a root valid a year, three Dapr apps in prod-orders,
# prod-inventory and team-a). Every test writes the whole state it relies on (trust bundle and daprsystem Configuration)
# before checking, so the order the tests run in does not matter. Roots and issuers are made here with .NET's X.509
# classes, independently of the module's generator, so a bundle can be broken in any way.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -ServerArgument '--dapr'
    Import-Module (Get-ModuleManifestPath) -Force
    $ns = 'dapr-system'

    # A Dapr-shaped CA certificate and its key (SEC1 "EC PRIVATE KEY", like Dapr <= 1.17): a self-signed root
    # O=cluster.local valid from 15 minutes ago for a year, or with -Signer an issuer O=spiffe://cluster.local/ns/
    # dapr-system/dapr-sentry signed by it, valid as long as its root unless told otherwise.
    function New-TestCa($Signer, [DateTimeOffset] $NotBefore, [DateTimeOffset] $NotAfter) {
        $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $subject = if ($Signer) { "O=spiffe://cluster.local/ns/$ns/dapr-sentry" } else { 'O=cluster.local' }
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($subject, $key, [Security.Cryptography.HashAlgorithmName]::SHA256)
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign, DigitalSignature', $true))
        $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509SubjectKeyIdentifierExtension]::new($request.PublicKey, $false))
        if ($Signer) {
            $request.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509AuthorityKeyIdentifierExtension]::CreateFromCertificate($Signer.Certificate, $true, $false))
            $serial = [Security.Cryptography.RandomNumberGenerator]::GetBytes(16)
            $serial[0] = $serial[0] -band 0x7F
            $from = if ($PSBoundParameters.ContainsKey('NotBefore')) { $NotBefore } else { [DateTimeOffset] $Signer.Certificate.NotBefore }
            $until = if ($PSBoundParameters.ContainsKey('NotAfter')) { $NotAfter } else { [DateTimeOffset] $Signer.Certificate.NotAfter }
            $certificate = $request.Create($Signer.Certificate, $from, $until, $serial)
        } else {
            $from = if ($PSBoundParameters.ContainsKey('NotBefore')) { $NotBefore } else { [DateTimeOffset]::UtcNow.AddMinutes(-15) }
            $until = if ($PSBoundParameters.ContainsKey('NotAfter')) { $NotAfter } else { [DateTimeOffset]::UtcNow.AddDays(365) }
            $certificate = $request.CreateSelfSigned($from, $until)
        }
        [pscustomobject]@{ Certificate = $certificate; CertificatePem = $certificate.ExportCertificatePem() + "`n"; PrivateKeyPem = $key.ExportECPrivateKeyPem() + "`n" }
    }

    function ConvertTo-Base64([string] $Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }

    # Writes Secret and ConfigMap dapr-trust-bundle; the ConfigMap's ca.crt is the Secret's unless -ConfigMapRoot says otherwise.
    function Set-TrustBundle([string] $RootPem, [string] $IssuerPem, [string] $IssuerKeyPem, [string] $ConfigMapRoot = $RootPem) {
        Set-DaprLabObject $lab @"
apiVersion: v1
kind: Secret
metadata: {name: dapr-trust-bundle, namespace: $ns, labels: {app: dapr-sentry}}
type: Opaque
data: {ca.crt: $(ConvertTo-Base64 $RootPem), issuer.crt: $(ConvertTo-Base64 $IssuerPem), issuer.key: $(ConvertTo-Base64 $IssuerKeyPem)}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: dapr-trust-bundle, namespace: $ns, labels: {app: dapr-sentry}}
data: {ca.crt: $($ConfigMapRoot | ConvertTo-Json)}
"@
    }

    function Set-CaBundle($Root, $Issuer) { Set-TrustBundle $Root.CertificatePem $Issuer.CertificatePem $Issuer.PrivateKeyPem }

    # The daprsystem Configuration; values are written as given (quoted), even invalid ones.
    function Set-MtlsConfiguration([bool] $Enabled = $true, [string] $WorkloadCertTtl = '24h') {
        Set-DaprLabObject $lab "apiVersion: dapr.io/v1alpha1`nkind: Configuration`nmetadata: {name: daprsystem, namespace: $ns}`nspec:`n  mtls: {enabled: $($Enabled.ToString().ToLowerInvariant()), workloadCertTTL: $($WorkloadCertTtl | ConvertTo-Json), allowedClockSkew: `"15m`", controlPlaneTrustDomain: cluster.local}"
    }

    # The seed's own bundle, as the lab wrote it: the one the sidecars were injected with.
    $seed = (Get-DaprLabObject $lab -Resource secrets -Namespace $ns -Name dapr-trust-bundle).data
    $seedRoot, $seedIssuer, $seedKey = foreach ($key in 'ca.crt', 'issuer.crt', 'issuer.key') { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($seed.$key)) }

    function Get-Check($Report, [string] $Name) { $Report.Checks | Where-Object Name -eq $Name }
    function Get-Result($Report, [string] $Name) { "$((Get-Check $Report $Name).Result)" }
    function Get-Detail($Report, [string] $Name) { (Get-Check $Report $Name).Detail }

    # The sidecars of the seed are injected a moment after the lab serves.
    Set-MtlsConfiguration
    Set-TrustBundle $seedRoot $seedIssuer $seedKey
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ("$((Test-DaprMtls).Verdict)" -ne 'Pass') {
        if ([DateTime]::UtcNow -gt $deadline) { throw "The seeded bundle never passed: $((Test-DaprMtls).Checks | Out-String)" }
        Start-Sleep -Milliseconds 200
    }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Test-DaprMtls' {
    BeforeEach { Set-MtlsConfiguration }

    It 'passes every check of the seeded healthy bundle' {
        Set-TrustBundle $seedRoot $seedIssuer $seedKey

        $report = Test-DaprMtls

        "$($report.Verdict)" | Should -Be 'Pass'
        $report.PSObject.TypeNames[0] | Should -Be 'DaprSecurity.Output.DaprMtlsReport'
        $report.Checks | Should -HaveCount 12
        $report.Namespace | Should -Be $ns
        $report.Failed | Should -Be 0
        Get-Detail $report TrustAnchorsCurrent | Should -BeLike '*All 3 running Dapr sidecars trust the current ca.crt*'
        Test-DaprMtls -Quiet | Should -BeTrue
    }

    It 'still checks the root and the sidecars for an identity that may not read the Secret' {
        Set-TrustBundle $seedRoot $seedIssuer $seedKey
        $monitor = Invoke-DaprLabAdmin $lab POST users @{ name = 'monitor'; forbidden = @(@{ verbs = 'get,list,watch'; resources = 'secrets'; namespace = $ns }) }
        $kubeconfig = [IO.Path]::Combine($TestDrive, 'monitor.kubeconfig')
        [IO.File]::WriteAllText($kubeconfig, $monitor.kubeconfig)

        $report = Test-DaprMtls -KubeConfig $kubeconfig

        "$($report.Verdict)" | Should -Be 'Warning'
        foreach ($name in 'RootValidity', 'TrustAnchorsCurrent', 'SentryHealthy') { Get-Result $report $name | Should -Be 'Pass' -Because $name }
        foreach ($name in 'TrustBundleSecret', 'TrustBundleConfigMap', 'IssuerChain', 'IssuerKey', 'IssuerValidity') { Get-Result $report $name | Should -Be 'Warning' -Because $name }
        Get-Detail $report IssuerValidity | Should -BeLike '*could not be read*'
    }

    It 'fails an expired issuer under a valid root, and -Quiet returns false' {
        $root = New-TestCa -NotBefore ([DateTimeOffset]::UtcNow.AddDays(-500))
        Set-CaBundle $root (New-TestCa -Signer $root -NotAfter ([DateTimeOffset]::UtcNow.AddDays(-2)))

        $report = Test-DaprMtls

        "$($report.Verdict)" | Should -Be 'Fail'
        Get-Result $report IssuerValidity | Should -Be 'Fail'
        Get-Detail $report IssuerValidity | Should -BeLike '*expired*'
        Get-Result $report RootValidity | Should -Be 'Pass'
        Test-DaprMtls -Quiet | Should -BeFalse
    }

    It 'warns of a root expiring in 10 days with the days left' {
        $root = New-TestCa -NotAfter ([DateTimeOffset]::UtcNow.AddDays(10).AddHours(2))
        Set-CaBundle $root (New-TestCa -Signer $root)

        $report = Test-DaprMtls
        $relaxed = Test-DaprMtls -WarningDays 5

        Get-Result $report RootValidity | Should -Be 'Warning'
        Get-Detail $report RootValidity | Should -BeLike '*expires in 10 days*'
        Get-Result $report IssuerValidity | Should -Be 'Warning'
        Get-Result $relaxed RootValidity | Should -Be 'Pass'
    }

    It 'fails IssuerChain for an issuer not signed by the root' {
        Set-CaBundle (New-TestCa) (New-TestCa -Signer (New-TestCa))

        $report = Test-DaprMtls

        Get-Result $report IssuerChain | Should -Be 'Fail'
        Get-Detail $report IssuerChain | Should -BeLike '*not signed by the root*'
    }

    It 'fails IssuerKey for a key that does not match the issuer, and never shows the key' {
        $root = New-TestCa
        $issuer = New-TestCa -Signer $root
        $otherKey = (New-TestCa -Signer $root).PrivateKeyPem
        Set-TrustBundle $root.CertificatePem $issuer.CertificatePem $otherKey

        $report = Test-DaprMtls

        Get-Result $report IssuerKey | Should -Be 'Fail'
        Get-Result $report IssuerChain | Should -Be 'Pass'
        $verbose = Invoke-Collecting { Test-DaprMtls -Verbose }
        $verbose.Verbose | Should -Not -BeNullOrEmpty
        Get-CollectedText $verbose | Should -Not -Match ([regex]::Escape($otherKey.Split("`n")[1]))
    }

    It 'fails TrustBundleConfigMap, with the reason, when the ConfigMap differs from the Secret' {
        Set-TrustBundle $seedRoot $seedIssuer $seedKey -ConfigMapRoot (New-TestCa).CertificatePem

        $report = Test-DaprMtls

        Get-Result $report TrustBundleConfigMap | Should -Be 'Fail'
        Get-Detail $report TrustBundleConfigMap | Should -BeLike '*Sentry silently generates a new CA*'
    }

    It 'fails MtlsEnabled when daprsystem disables mTLS' {
        Set-TrustBundle $seedRoot $seedIssuer $seedKey
        Set-MtlsConfiguration -Enabled $false

        $report = Test-DaprMtls

        Get-Result $report MtlsEnabled | Should -Be 'Fail'
        Get-Detail $report MtlsEnabled | Should -BeLike '*disabled*'
    }

    It 'fails TrustAnchorsCurrent for pods injected before the root changed' {
        $root = New-TestCa
        Set-CaBundle $root (New-TestCa -Signer $root)

        $report = Test-DaprMtls

        Get-Result $report TrustAnchorsCurrent | Should -Be 'Fail'
        Get-Detail $report TrustAnchorsCurrent | Should -BeLike '*3 of 3 running Dapr pods*'
        Get-Detail $report TrustAnchorsCurrent | Should -BeLike '*prod-orders/orders-*'
    }

    Context 'as audit rules' {
        # The mTLS rules of Test-DaprSecurity are Test-DaprMtls's checks.
        BeforeEach { Set-TrustBundle $seedRoot $seedIssuer $seedKey }

        It 'passes every mTLS rule on a healthy control plane' {
            Test-DaprSecurity -Namespace prod-orders -IncludePass | Where-Object Area -eq MTLS | ForEach-Object { "$($_.RuleId) $($_.Outcome)" } |
                Should -Be (1..12 | ForEach-Object { 'DAPR-MTLS-{0:000} Pass' -f $_ })
        }

        It 'fails DAPR-MTLS-001 when mTLS is disabled' {
            Set-MtlsConfiguration -Enabled $false

            Test-DaprSecurity -Namespace prod-orders -IncludePass | Where-Object Area -eq MTLS | ForEach-Object { "$($_.RuleId) $($_.Outcome)" } |
                Should -Contain 'DAPR-MTLS-001 Fail'
        }

        It 'judges DAPR-MTLS-011 by the sidecars of the namespaces it audits, from its own pod list' {
            $root = New-TestCa
            Set-CaBundle $root (New-TestCa -Signer $root)

            $orders = Test-DaprSecurity -Namespace prod-orders | Where-Object RuleId -eq 'DAPR-MTLS-011'
            $every = Test-DaprSecurity | Where-Object RuleId -eq 'DAPR-MTLS-011'

            $orders.Outcome | Should -Be 'Fail'
            $orders.Message | Should -BeLike '*1 of 1 running Dapr pods*prod-orders/orders-*'
            $every.Message | Should -BeLike '*3 of 3 running Dapr pods*'
        }
    }

    Context 'Azure Pipelines' {
        BeforeEach { $tfBuildBefore = $env:TF_BUILD }
        AfterEach { $env:TF_BUILD = $tfBuildBefore }

        It 'makes warnings and failures logissue lines that cluster text cannot hijack' {
            $root = New-TestCa -NotAfter ([DateTimeOffset]::UtcNow.AddDays(12))
            Set-CaBundle $root (New-TestCa -Signer $root)
            Set-MtlsConfiguration -WorkloadCertTtl "1h]##vso[task.complete result=Succeeded]`n##[error]forged;x"
            $env:TF_BUILD = 'True'

            $result = Invoke-Collecting { Test-DaprMtls }

            $result.Errors | Should -BeNullOrEmpty
            $lines = @($result.Information | ForEach-Object { $_ -split "`n" } | Where-Object { $_ })
            $lines | Where-Object { $_.StartsWith('##vso[task.logissue type=warning;code=DaprMtls.RootValidity]') -and $_.Contains('expires in 11 days') } | Should -Not -BeNullOrEmpty
            $ttl = @($lines | Where-Object { $_.StartsWith('##vso[task.logissue type=error;code=DaprMtls.WorkloadCertTtl]') })
            $ttl | Should -HaveCount 1
            $ttl[0] | Should -BeLike '*1h%5D\#\#vso`[task.complete result=Succeeded%5D\n\#\#`[error%5Dforged%3Bx*'
            foreach ($line in $lines) {
                $line.IndexOf('##vso[', 1, [StringComparison]::OrdinalIgnoreCase) | Should -Be -1 -Because $line
                $line | Should -Not -BeLike '*##`[*'
            }
            $lines | Where-Object { $_.Contains('code=DaprMtls.IssuerChain') } | Should -BeNullOrEmpty
            $env:TF_BUILD = $null
            (Invoke-Collecting { Test-DaprMtls }).Information | Should -BeNullOrEmpty
        }
    }
}
