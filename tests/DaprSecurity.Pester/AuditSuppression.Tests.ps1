# Suppressions (annotation, file, expiry, missing reason) and baselines, through Test-DaprSecurity on manifest folders:
# no cluster is involved.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module (Get-ModuleManifestPath) -Force

    $exposedApp = @'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: shop
  annotations:
    daprsecurity.io/ignore: "DAPR-SIDECAR-001=behind the mesh gateway, OPS-12"
spec:
  selector:
    matchLabels: {app: billing}
  template:
    metadata:
      labels: {app: billing}
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: billing
        dapr.io/enable-api-logging: "true"
        dapr.io/sidecar-listen-addresses: "0.0.0.0"
        dapr.io/api-token-secret: dapr-api-token
    spec:
      containers:
      - name: billing
        image: example/billing:1
'@
    $unannotatedApp = $exposedApp.Replace("  annotations:`n    daprsecurity.io/ignore: `"DAPR-SIDECAR-001=behind the mesh gateway, OPS-12`"`n", '')

    function Write-Manifest([string] $Relative, [string] $Text) {
        $path = [IO.Path]::Combine($dir, $Relative)
        $null = New-Item -ItemType Directory -Force ([IO.Path]::GetDirectoryName($path))
        [IO.File]::WriteAllText($path, $Text)
    }

    # The one result of -RuleId that Test-DaprSecurity (its arguments splatted, -IncludePass added) gives for the folder.
    function Get-RuleResult([string] $RuleId, [hashtable] $Arguments = @{}) {
        $results = @(Test-DaprSecurity -Path $dir -IncludePass @Arguments | Where-Object RuleId -eq $RuleId)
        $results | Should -HaveCount 1 -Because "Test-DaprSecurity gives one $RuleId result"
        $results[0]
    }
}

Describe 'Suppressions' {
    BeforeEach {
        # Each test's own folder; files next to it (a suppression file, a baseline) stay outside the scan.
        $dir = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N')))).FullName
        $beside = "$dir-beside"
    }

    It 'an annotation suppresses a failure visibly with its reason' {
        Write-Manifest app.yaml $exposedApp

        $result = Get-RuleResult DAPR-SIDECAR-001

        "$($result.Outcome)" | Should -Be 'Suppressed'
        $result.SuppressionReason | Should -Be 'behind the mesh gateway, OPS-12'
        Test-DaprSecurity -Path $dir -Quiet | Should -BeTrue
    }

    It 'a suppression without a reason suppresses nothing and is itself a finding' {
        Write-Manifest app.yaml $exposedApp.Replace('DAPR-SIDECAR-001=behind the mesh gateway, OPS-12', 'DAPR-SIDECAR-001')

        "$((Get-RuleResult DAPR-SIDECAR-001).Outcome)" | Should -Be 'Fail'
        $finding = Get-RuleResult DAPR-AUDIT-001
        "$($finding.Outcome)" | Should -Be 'Fail'
        $finding.Line | Should -Be 7
    }

    It 'a suppression file matches by namespace, kind and name with wildcards until it expires' {
        Write-Manifest app.yaml $unannotatedApp
        $file = "$beside-suppressions.yaml"
        [IO.File]::WriteAllText($file, @'
suppressions:
- ruleId: DAPR-SIDECAR-*
  namespace: sh*
  kind: Deployment
  name: bill*
  reason: exposed on purpose until the gateway lands
  expires: 2099-12-31
- ruleId: DAPR-CONFIG-001
  kind: Deployment
  reason: old exemption
  expires: 2020-01-31
- ruleId: DAPR-CONFIG-002
'@)
        $run = @{ SuppressionPath = $file }

        $suppressed = Get-RuleResult DAPR-SIDECAR-001 $run
        $expired = Get-RuleResult DAPR-CONFIG-001 $run
        $noReason = Get-RuleResult DAPR-AUDIT-001 $run

        "$($suppressed.Outcome)" | Should -Be 'Suppressed'
        $suppressed.SuppressionReason | Should -Be 'exposed on purpose until the gateway lands'
        "$($expired.Outcome)" | Should -Be 'Fail'
        $expired.Message | Should -BeLike '*expired on 2020-01-31*'
        "$($noReason.Outcome)" | Should -Be 'Fail'
        $noReason.Line | Should -Be 12
        "$((Get-RuleResult DAPR-CONFIG-002 $run).Outcome)" | Should -Be 'Fail'
    }

    It 'an annotation suppression is in source and a file suppression external, in the results and in the SARIF, which validates' {
        Write-Manifest app.yaml $exposedApp
        $file = "$beside-suppressions.yaml"
        $report = "$beside.sarif"
        [IO.File]::WriteAllText($file, "- ruleId: DAPR-CONFIG-001`n  name: billing`n  reason: invoked only through the gateway`n")
        $run = @{ SuppressionPath = $file; OutputFormat = 'Sarif'; OutputPath = $report }

        $annotation = Get-RuleResult DAPR-SIDECAR-001 $run
        $external = Get-RuleResult DAPR-CONFIG-001 $run

        "$($annotation.Outcome) $($annotation.SuppressedInSource)" | Should -Be 'Suppressed True'
        "$($external.Outcome) $($external.SuppressedInSource)" | Should -Be 'Suppressed False'
        $sarif = Get-Content -Raw $report
        Get-SarifSchemaError $sarif | Should -BeNullOrEmpty
        $results = ($sarif | ConvertFrom-Json -Depth 64).runs[0].results
        $inSource = ($results | Where-Object ruleId -eq DAPR-SIDECAR-001).suppressions[0]
        $inSource.kind | Should -Be 'inSource'
        $inSource.justification | Should -Be 'behind the mesh gateway, OPS-12'
        $outside = ($results | Where-Object ruleId -eq DAPR-CONFIG-001).suppressions[0]
        $outside.kind | Should -Be 'external'
        $outside.justification | Should -Be 'invoked only through the gateway'
    }
}

Describe 'Baselines and input' {
    BeforeEach {
        $dir = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N')))).FullName
    }

    It 'a baseline marks failures known across an edit above them, and new ones new' {
        Write-Manifest app.yaml $unannotatedApp
        $baseline = @{ BaselinePath = "$dir-baseline.json" }

        $written = @(Test-DaprSecurity -Path $dir -UpdateBaseline @baseline)
        $before = Get-RuleResult DAPR-SIDECAR-001 $baseline
        # An edit above the finding moves it down three lines, and a new failure appears.
        Write-Manifest app.yaml ("# moved`n# down`n# three lines`n" + $unannotatedApp.Replace('dapr.io/enable-api-logging: "true"', 'dapr.io/enable-profiling: "true"'))
        $after = Get-RuleResult DAPR-SIDECAR-001 $baseline
        $added = Get-RuleResult DAPR-SIDECAR-003 $baseline

        $baseline.BaselinePath | Should -Exist
        $written | Should -Not -BeNullOrEmpty
        $written | Where-Object { "$($_.Baseline)" -ne 'None' } | Should -BeNullOrEmpty
        "$($before.Baseline) $($after.Baseline) $($added.Baseline)" | Should -Be 'Known Known New'
        $after.Line | Should -Be ($before.Line + 3)
        $after.Fingerprint | Should -Be $before.Fingerprint
        Test-DaprSecurity -Path $dir @baseline -FailOnNewOnly -FailOn Medium -Quiet | Should -BeFalse
        Test-DaprSecurity -Path $dir @baseline -FailOnNewOnly -Quiet | Should -BeTrue
    }

    It 'skips templates with the reason, and makes an empty folder an error' {
        Write-Manifest chart/deployment.yaml "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: {{ .Values.name }}`n"
        Write-Manifest app.yaml $exposedApp

        $skipped = Get-RuleResult DAPR-AUDIT-002
        Remove-Item -Recurse ([IO.Path]::Combine($dir, '*'))
        $empty = Invoke-Collecting { Test-DaprSecurity -Path $dir -Quiet }

        "$($skipped.Outcome)" | Should -Be 'Skipped'
        $skipped.Path | Should -Be 'chart/deployment.yaml'
        $skipped.Message | Should -BeLike '*template*'
        $empty.Output | Should -Be @($false)
        $empty.Errors | Should -HaveCount 1
        $empty.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AuditNothingSelected,*'
    }

    It 'audits files piped from Get-ChildItem, and an unreadable one fails the gate' {
        Write-Manifest app.yaml $exposedApp
        Write-Manifest bad.yaml "apiVersion: v1`nkind: Secret`nmetadata:`n  name: a: b`n"

        $result = Invoke-Collecting { Get-ChildItem $dir -Filter *.yaml | Test-DaprSecurity -Quiet }

        $result.Output | Should -Be @($false)
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ManifestInvalidYaml,*'
    }

    It 'hands a report to the report writers and still answers -Quiet' {
        Write-Manifest app.yaml $exposedApp
        $report = "$dir-report.sarif"

        $result = Invoke-Collecting { Test-DaprSecurity -Path $dir -OutputFormat Sarif -OutputPath $report -Quiet }

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Be @($true)
        (Get-Item $report).Length | Should -BeGreaterThan 0
    }
}
