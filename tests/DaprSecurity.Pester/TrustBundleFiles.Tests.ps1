# Export-DaprTrustBundle and Get-DaprCertificate -Path: the lab's trust bundle as files, byte for byte and owner-only,
# and read back offline, without a cluster. Compared with what kubectl and openssl say.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force

    # The bytes of one key of the trust-bundle Secret, as kubectl reads them.
    function Get-BundleKey([string] $Key) {
        $data = (kubectl get secret dapr-trust-bundle -n dapr-system -o json | ConvertFrom-Json).data
        [Convert]::FromBase64String($data.$Key)
    }

    function Assert-OwnerOnly([string] $Path) {
        if (-not $IsWindows) { [IO.File]::GetUnixFileMode($Path) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite') -Because $Path }
    }

    function New-Folder { [IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N')) }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Export-DaprTrustBundle' {
    It 'writes ca.crt and issuer.crt byte for byte, owner-only, into a folder it creates, and no key by default' {
        $target = [IO.Path]::Combine((New-Folder), 'new', 'dir')

        $result = Export-DaprTrustBundle -Path $target -PassThru

        [IO.File]::ReadAllBytes([IO.Path]::Combine($target, 'ca.crt')) | Should -Be (Get-BundleKey 'ca.crt')
        [IO.File]::ReadAllBytes([IO.Path]::Combine($target, 'issuer.crt')) | Should -Be (Get-BundleKey 'issuer.crt')
        (Get-ChildItem $target).Name | Sort-Object | Should -Be @('ca.crt', 'issuer.crt')
        Get-ChildItem $target | ForEach-Object { Assert-OwnerOnly $_.FullName }
        $result.Role | ForEach-Object { "$_" } | Should -Be @('Root', 'Issuer')
        $result[0].Source | Should -Be ([IO.Path]::Combine($target, 'ca.crt'))
    }

    It 'writes issuer.key owner-only with -IncludePrivateKey and never prints it' {
        $target = New-Folder
        $key = [Text.Encoding]::ASCII.GetString((Get-BundleKey 'issuer.key'))

        $result = Invoke-Collecting { Export-DaprTrustBundle -Path $target -IncludePrivateKey -Verbose }

        $keyFile = [IO.Path]::Combine($target, 'issuer.key')
        [IO.File]::ReadAllText($keyFile) | Should -BeExactly $key
        Assert-OwnerOnly $keyFile
        $result.Output | Should -BeNullOrEmpty
        $result.Verbose | Where-Object { $_ -like "*$keyFile*" } | Should -Not -BeNullOrEmpty
        ($result.Verbose + $result.Warnings + $result.Errors) -join "`n" | Should -Not -Match ([regex]::Escape($key.Split("`n")[1]))
    }

    It 'stops before writing anything when a file exists, unless -Force' {
        $target = New-Folder
        $null = New-Item -ItemType Directory $target
        [IO.File]::WriteAllText([IO.Path]::Combine($target, 'issuer.crt'), 'old')

        $refused = Invoke-Collecting { Export-DaprTrustBundle -Path $target }

        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
        [IO.File]::Exists([IO.Path]::Combine($target, 'ca.crt')) | Should -BeFalse
        [IO.File]::ReadAllText([IO.Path]::Combine($target, 'issuer.crt')) | Should -Be 'old'
        Export-DaprTrustBundle -Path $target -Force
        [IO.File]::ReadAllBytes([IO.Path]::Combine($target, 'issuer.crt')) | Should -Be (Get-BundleKey 'issuer.crt')
    }

    It 'names every file with -WhatIf and writes none' {
        $target = New-Folder

        $screen = Invoke-Pwsh -Environment @{ KUBECONFIG = $lab.KubeConfig } -Script "Import-Module '$(Get-ModuleManifestPath)'; Export-DaprTrustBundle -Path '$target' -IncludePrivateKey -WhatIf"

        [IO.Directory]::Exists($target) | Should -BeFalse
        $whatIf = @($screen.Output -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $whatIf | Should -HaveCount 3 -Because $screen.Output
        $whatIf[2] | Should -Be "What if: Performing the operation `"Write the issuer's PRIVATE KEY (issuer.key) from secret dapr-system/dapr-trust-bundle, readable only by you`" on target `"$([IO.Path]::Combine($target, 'issuer.key'))`"."
    }
}

Describe 'Get-DaprCertificate -Path' {
    BeforeAll {
        $bundle = New-Folder
        Export-DaprTrustBundle -Path $bundle -IncludePrivateKey
    }

    It 'reads a folder with ca.crt and issuer.crt without any kubeconfig; NotAfter is what openssl says' {
        $before = $env:KUBECONFIG
        $env:KUBECONFIG = [IO.Path]::Combine($TestDrive, 'no-such-kubeconfig')
        try {
            $result = Invoke-Collecting { Get-DaprCertificate -Path $bundle }
        } finally {
            $env:KUBECONFIG = $before
        }

        $result.Errors | Should -BeNullOrEmpty
        $root, $issuer = $result.Output
        $result.Output | Should -HaveCount 2
        "$($root.Role) $($issuer.Role)" | Should -Be 'Root Issuer'
        $root.PSObject.TypeNames[0] | Should -Be 'DaprSecurity.Output.DaprCertificateInfo'
        $root.Subject | Should -Be 'O=cluster.local'
        $issuer.Subject | Should -Be 'O=spiffe://cluster.local/ns/dapr-system/dapr-sentry'
        $issuer.Issuer | Should -Be 'O=cluster.local'
        "$($root.TrustDomain) $($issuer.TrustDomain)" | Should -Be 'cluster.local cluster.local'
        $root.DaysUntilExpiry | Should -Be 364
        $issuer.DaysUntilExpiry | Should -Be 20
        $issuer.KeyAlgorithm | Should -Be 'ECDSA P-256'
        $root.Source | Should -Be ([IO.Path]::Combine($bundle, 'ca.crt'))
        foreach ($certificate in $root, $issuer) {
            $end = (openssl x509 -noout -enddate -in $certificate.Source) -replace '^notAfter=', ''
            $certificate.NotAfter | Should -Be ([datetime]::ParseExact(($end -replace '\s+', ' '), 'MMM d HH:mm:ss yyyy GMT', [cultureinfo]::InvariantCulture, 'AdjustToUniversal, AssumeUniversal'))
        }
        $key = [IO.File]::ReadAllLines([IO.Path]::Combine($bundle, 'issuer.key'))[1]
        ($result.Output | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($key))
    }

    It 'takes files from the pipeline and names the roles in a chain' {
        $chain = [IO.Path]::Combine($TestDrive, 'chain.pem')
        [IO.File]::WriteAllText($chain, [IO.File]::ReadAllText([IO.Path]::Combine($bundle, 'issuer.crt')) + [IO.File]::ReadAllText([IO.Path]::Combine($bundle, 'ca.crt')))

        (Get-Item $chain | Get-DaprCertificate).Role | ForEach-Object { "$_" } | Should -Be @('Issuer', 'Root')
    }

    It 'makes a missing file and a file without certificates errors for those paths; the others still work' {
        $missing = [IO.Path]::Combine($TestDrive, 'nope.pem')
        $keyOnly = [IO.Path]::Combine($bundle, 'issuer.key')

        $result = Invoke-Collecting { Get-DaprCertificate -Path $missing, $keyOnly, ([IO.Path]::Combine($bundle, 'ca.crt')) }

        $result.Errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Should -Be @('CertificateFileNotFound', 'CertificateNotFound')
        $result.Errors[1].TargetObject | Should -Be $keyOnly
        $result.Output | Should -HaveCount 1
    }
}
