@{
    RootModule           = 'DaprSecurity.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0a6f1e-3c2d-4e7a-9f41-8d2b6c0e1a37'
    Author               = 'DaprSecurity contributors'
    CompanyName          = 'DaprSecurity'
    Copyright            = '(c) DaprSecurity contributors. MIT License.'
    Description          = 'Secure Dapr on Kubernetes from PowerShell: API tokens, mTLS and the trust bundle, component scopes and sidecar hardening.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')

    # Only the PowerShell-facing assembly loads at import; the engine and its dependencies load privately
    # from Dependencies/ on first use (see src/DaprSecurity/Bootstrap).
    FormatsToProcess     = @('DaprSecurity.Format.ps1xml')

    # Explicit lists (no wildcards) so that command discovery reads this file without loading the module.
    CmdletsToExport      = @(
        # Cluster
        'Get-DaprContext'
        # Tokens
        'New-DaprAppToken'
        'Set-DaprTokenSecret'
        'Get-DaprTokenSecret'
        'Remove-DaprTokenSecret'
        'Set-DaprTokenEnvironment'
        'Test-DaprTokenEnforcement'
        # Workloads
        'Get-DaprNamespace'
        'Get-DaprDeployment'
        'Set-DaprSidecarAnnotation'
        'Restart-DaprDeployment'
        # mTLS and the trust bundle
        'Get-DaprControlPlane'
        'Test-DaprMtls'
        'Get-DaprCertificate'
        'Export-DaprTrustBundle'
        'Update-DaprTrustBundle'
        # Component scopes
        'Get-DaprComponentScope'
        'Set-DaprComponentScope'
        'Add-DaprComponentScope'
        'Remove-DaprComponentScope'
        'Get-DaprAccessMatrix'
        # Security audit
        'Test-DaprSecurity'
        'Get-DaprSecurityRule'
    )
    AliasesToExport      = @(
        'Get-Namespace'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('Dapr', 'Kubernetes', 'Security', 'mTLS', 'Tokens', 'DevOps', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/daprsecurity/DaprSecurity'
            LicenseUri   = 'https://github.com/daprsecurity/DaprSecurity/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/daprsecurity/DaprSecurity/blob/main/README.md#release-notes'
        }
    }
}
