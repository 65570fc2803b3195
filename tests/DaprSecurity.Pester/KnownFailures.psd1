# Help examples and README blocks that do not run against the lab yet, each with the reason. Their owners make them
# run against the lab (namespaces shop, prod-eu, prod-us; see tests/DaprSecurity.KubeApiServer/README.md, "The lab")
# or mark them as not runnable in their source (README: <!-- doctest: skip - reason -->; help:
# <example doctest="skip - reason">); then the line goes. A listed one that runs fails the suite until it is removed.
# Keys: 'README <first line of the block>' and 'Help <cmdlet> <first line of the example>'.
@{
    'README Get-DaprContext'                                                                                      = 'line 2 reads ./clusters.yaml, which the README never creates'
    "README Get-Namespace team-* | Set-DaprTokenSecret -Token `$token             # Get-Namespace is Get-DaprNamespace's alias" = 'the lab has no team-* namespace and no orders namespace'
    'README New-DaprAppToken -Kind Api | Set-DaprTokenEnvironment -Path ./dapr.env'                               = 'Test-DaprTokenEnforcement needs an app listening on localhost:8080'
    'README Get-DaprDeployment -Namespace prod-* | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -MountTokenInApp' = 'no dapr-api-token secret exists in prod-* at that point of the README (only app-api-token was written)'
    'README Get-DaprControlPlane                              # Sentry, operator, placement, scheduler, injector: Healthy, Status, replicas, Version, Age' = 'Get-DaprCertificate -Path ./backup runs before the README exports ./backup'
    'README Export-DaprTrustBundle -Path ./backup                       # ca.crt and issuer.crt, byte for byte'   = 'the second line writes to the folder the first just filled, without -Force'
    'README Update-DaprTrustBundle -Restart                                               # new root and issuer, then restart in order' = 'line 4 reads ca.crt, issuer.crt and issuer.key from the working directory, which the README never creates there'
    'README Get-DaprComponentScope -Path ./deploy'                                                                = 'needs a ./deploy folder of manifests, which the README never creates'

    'Help Add-DaprComponentScope Add-DaprComponentScope -Path ./deploy -Name pubsub -AppId notification-service -PassThru' = 'ManifestPathNotFound: ./deploy: no such file or folder.'
    'Help Export-DaprTrustBundle Export-DaprTrustBundle -Path ./backup-prod -Context prod -IncludePrivateKey -PassThru' = 'KubeContextNotFound: The kubeconfig has no context named ''prod''.'
    'Help Get-DaprAccessMatrix Get-DaprAccessMatrix -Path ./deploy | Where-Object { $_.Access -and $_.Reason -eq ''Unscoped'' }' = 'ManifestPathNotFound: ./deploy: no such file or folder.'
    'Help Get-DaprCertificate Get-DaprCertificate -Context prod | Sort-Object DaysUntilExpiry | Select-Object -First 1 -ExpandProperty DaysUntilExpiry' = 'KubeContextNotFound: The kubeconfig has no context named ''prod''.'
    'Help Get-DaprCertificate Get-DaprCertificate -Path ./backup, ./new/issuer.crt' = 'CertificateFileNotFound: Cannot find ''./backup''.'
    'Help Get-DaprComponentScope Get-DaprComponentScope -Path ./deploy -WarningVariable problems; $problems' = 'ManifestPathNotFound: ./deploy: no such file or folder.'
    'Help Get-DaprContext Get-DaprContext -Name prod-* -KubeConfig ./clusters.yaml | ForEach-Object { $_.Server }' = 'KubeConfigNotFound: The kubeconfig file ''clusters.yaml'' does not exist.'
    'Help Get-DaprControlPlane Get-DaprControlPlane -Context prod | Where-Object { -not $_.Healthy }' = 'KubeContextNotFound: The kubeconfig has no context named ''prod''.'
    'Help Get-DaprNamespace Get-Namespace team-* | Set-DaprTokenSecret -Token $token' = 'ParameterArgumentValidationErrorNullNotAllowed: Cannot bind argument to parameter ''Token'' because it is null.'
    'Help New-DaprAppToken $key = Read-Host -AsSecureString ''Signing key''; $token = New-DaprAppToken -Kind Api -SigningKey $key -Algorithm HS512 -Issuer platform-team -ExpiresIn (New-TimeSpan -Days 90) -Claim @{ env = ''prod'' }' = 'HostFunctionNotImplemented: A command that prompts the user failed because the host program or the command type does not support user interaction. T'
    'Help New-DaprAppToken New-DaprAppToken -Format Opaque -AdoVariable DAPR_APP_TOKEN | Set-DaprTokenSecret -Namespace orders' = 'AzurePipelinesNotDetected: -AdoVariable publishes the token as an Azure Pipelines secret variable, which works only inside a pipeline job (TF_BUILD'
    'Help Remove-DaprComponentScope Get-DaprComponentScope -Path ./deploy | Where-Object { $_.Scopes -contains ''legacy-api'' } | Remove-DaprComponentScope -AppId legacy-api' = 'ManifestPathNotFound: ./deploy: no such file or folder.'
    'Help Remove-DaprTokenSecret Remove-DaprTokenSecret -Namespace old-team -Kind Api' = 'NamespaceNotFound: Namespace ''old-team'' does not exist.'
    'Help Restart-DaprDeployment Restart-DaprDeployment -Namespace orders -Wait -Timeout 600' = 'NamespaceNotFound: Namespace ''orders'' does not exist.'
    'Help Restart-DaprDeployment Get-DaprDeployment -Namespace prod-* -Name checkout | Restart-DaprDeployment -WhatIf' = 'WorkloadNotFound: No Dapr-enabled workload named ''checkout'' in the selected namespaces.'
    'Help Set-DaprComponentScope Set-DaprComponentScope -Path ./deploy/components -Name pubsub -AppId order-api, notification-service -WhatIf' = 'ManifestPathNotFound: ./deploy/components: no such file or folder.'
    'Help Set-DaprSidecarAnnotation Get-DaprDeployment -Namespace prod-* | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -MountTokenInApp' = 'TokenSecretNotFound: Deployment prod-eu/inventory-api was not changed: secret dapr-api-token does not exist in prod-eu (or has no "token" key'
    'Help Set-DaprSidecarAnnotation Set-DaprSidecarAnnotation -Namespace orders -Name checkout -ListenAddresses ''127.0.0.1'' -EnableApiLogging $false -WhatIf' = 'NamespaceNotFound: Namespace ''orders'' does not exist.'
    'Help Set-DaprTokenEnvironment New-DaprAppToken -Kind Api | Set-DaprTokenEnvironment; dapr run --app-id orders -- dotnet run' = 'CommandNotFoundException: The term ''dapr'' is not recognized as a name of a cmdlet, function, script file, or executable program.'
    'Help Set-DaprTokenEnvironment $token | Set-DaprTokenEnvironment -Kind App -Path ./dapr.env -PassThru' = 'ParameterArgumentValidationErrorNullNotAllowed: Cannot bind argument to parameter ''Token'' because it is null.'
    'Help Set-DaprTokenSecret Get-DaprNamespace team-* | Set-DaprTokenSecret -Token $token -Kind Api -WhatIf' = 'ParameterArgumentValidationErrorNullNotAllowed: Cannot bind argument to parameter ''Token'' because it is null.'
    'Help Set-DaprTokenSecret (kubectl get ns -l tier=backend -o json | ConvertFrom-Json).items | Set-DaprTokenSecret -Token $token -SecretName orders-app-token -PassThru' = 'ParameterArgumentValidationErrorNullNotAllowed: Cannot bind argument to parameter ''Token'' because it is null.'
    'Help Test-DaprMtls (Test-DaprMtls -Context prod -WarningDays 45).Checks | Where-Object Result -ne Pass' = 'KubeContextNotFound: The kubeconfig has no context named ''prod''.'
    'Help Test-DaprMtls if (-not (Test-DaprMtls -Quiet)) { throw ''Dapr mTLS needs attention'' }' = 'the lab''s issuer expires in 20 days, so -Quiet is $false and the example throws, as it should there'
    'Help Test-DaprTokenEnforcement Test-DaprTokenEnforcement -Uri http://localhost:8080/orders -Token $appToken' = 'ParameterArgumentValidationErrorNullNotAllowed: Cannot bind argument to parameter ''Token'' because it is null.'
    'Help Test-DaprTokenEnforcement $token | Test-DaprTokenEnforcement -Uri http://localhost:3500/v1.0/metadata -Kind Api | Where-Object { -not $_.Enforced }' = 'ParameterArgumentValidationErrorNullNotAllowed: Cannot bind argument to parameter ''Token'' because it is null.'
    'Help Update-DaprTrustBundle Update-DaprTrustBundle -RootKeyPath ./root.key -ValidDays 90 -Restart -Confirm:$false' = 'CertificateFileNotFound: The file root.key does not exist.'
    'Help Update-DaprTrustBundle Update-DaprTrustBundle -RootCertificatePath ./ca.crt -IssuerCertificatePath ./issuer.crt -IssuerKeyPath ./issuer.key -WhatIf' = 'CertificateFileNotFound: The file ca.crt does not exist.'
}
