# Test-DaprSecurity -OutputFormat/-OutputPath and CI annotations, end to end over a manifest folder in a Git repository
# and over the lab. That each format is well-formed to the letter (strict SARIF formats, the Prometheus parsers) is the
# engine's tests' (Engine.Tests Audit/Reports); here: what the cmdlet writes from real input, and where.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force

    function Get-FailingFixture([string] $RuleId, [string] $Namespace) {
        [IO.File]::ReadAllText([IO.Path]::Combine((Get-RepositoryRoot), 'tests', 'AuditFixtures', $RuleId, 'fail.yaml')).Replace('__NS__', $Namespace)
    }

    # A Git repository whose deploy/apps holds the failing fixtures of two rules.
    $repository = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'repo'))).FullName
    $null = New-Item -ItemType Directory ([IO.Path]::Combine($repository, '.git'))
    $manifests = (New-Item -ItemType Directory ([IO.Path]::Combine($repository, 'deploy', 'apps'))).Parent.FullName
    foreach ($rule in 'DAPR-SECRET-001', 'DAPR-SIDECAR-001') {
        [IO.File]::WriteAllText([IO.Path]::Combine($manifests, 'apps', "$rule.yaml"), (Get-FailingFixture $rule shop))
    }

    # Writes the report of Test-DaprSecurity (-Path $manifests unless $Target says otherwise) and returns its text.
    function Get-Report([string] $Format, [hashtable] $Target = @{ Path = $manifests }) {
        $path = [IO.Path]::Combine($TestDrive, "report-$([guid]::NewGuid().ToString('N'))")
        $run = Invoke-Collecting { $null = Test-DaprSecurity @Target -OutputFormat $Format -OutputPath $path }
        $run.Errors | Where-Object FullyQualifiedErrorId -like 'AuditReportFailed*' | Should -BeNullOrEmpty
        [IO.File]::ReadAllText($path)
    }

    # The samples of an OpenMetrics family: name, labels (a hashtable) and value of each line `name{k="v",...} value`.
    function Get-MetricSample([string] $Exposition, [string] $Family) {
        foreach ($line in $Exposition -split "`n") {
            if ($line -notmatch "^$Family(\{(?<labels>[^}]*)\})? (?<value>\S+)$") { continue }
            $labels = @{}
            foreach ($pair in [regex]::Matches($Matches.labels, '(?<k>\w+)="(?<v>(?:[^"\\]|\\.)*)"')) { $labels[$pair.Groups['k'].Value] = $pair.Groups['v'].Value }
            [pscustomobject]@{ Labels = $labels; Value = [double] $Matches.value }
        }
    }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Report files' {
    It 'SARIF of a folder scan validates and points at the repository''s files' {
        $sarif = Get-Report Sarif

        Get-SarifSchemaError $sarif | Should -BeNullOrEmpty
        $run = ($sarif | ConvertFrom-Json -Depth 64).runs[0]
        $run.tool.driver.rules.Count | Should -BeGreaterOrEqual 20
        $secret = @($run.results | Where-Object ruleId -eq DAPR-SECRET-001)
        $secret | Should -HaveCount 1
        $secret[0].locations[0].physicalLocation.artifactLocation.uri | Should -Be 'deploy/apps/DAPR-SECRET-001.yaml'
        $secret[0].locations[0].physicalLocation.region.startLine | Should -Be 13
        $secret[0].partialFingerprints.'daprsecurity/v1' | Should -Not -BeNullOrEmpty
        $sarif | Should -Not -Match 'hunter2'
    }

    It 'SARIF of a cluster scan validates, with logical locations and both kinds of suppression' {
        Set-DaprLabObject $lab ("apiVersion: v1`nkind: Namespace`nmetadata: {name: sarif-scan}`n---`n" + (Get-FailingFixture DAPR-SIDECAR-001 sarif-scan).Replace(
                "        dapr.io/enabled: `"true`"`n",
                "        dapr.io/enabled: `"true`"`n        daprsecurity.io/ignore: `"DAPR-SIDECAR-001=behind the mesh gateway`"`n"))
        $suppressions = [IO.Path]::Combine($TestDrive, 'suppressions.yaml')
        [IO.File]::WriteAllText($suppressions, "- ruleId: DAPR-CONFIG-001`n  namespace: sarif-scan`n  reason: invoked through the gateway only`n")

        $sarif = Get-Report Sarif @{ Namespace = 'sarif-scan'; SuppressionPath = $suppressions }

        Get-SarifSchemaError $sarif | Should -BeNullOrEmpty
        $results = ($sarif | ConvertFrom-Json -Depth 64).runs[0].results
        $sidecar = @($results | Where-Object ruleId -eq DAPR-SIDECAR-001)
        $sidecar | Should -HaveCount 1
        $sidecar[0].suppressions[0].kind | Should -Be 'inSource'
        @($results | Where-Object ruleId -eq DAPR-CONFIG-001)[0].suppressions[0].kind | Should -Be 'external'
        $sidecar[0].locations[0].logicalLocations[0].fullyQualifiedName | Should -BeLike '*/sarif-scan/Deployment/app'
        $sidecar[0].locations[0].physicalLocation.artifactLocation.uri | Should -BeLike '*/sarif-scan/Deployment/app.yaml'
    }

    It 'NUnit3 and JUnit hold one case per result of the run' {
        $all = @(Test-DaprSecurity -Path $manifests -IncludePass).Count
        $failed = @(Test-DaprSecurity -Path $manifests | Where-Object Outcome -eq Fail).Count

        $nunit = ([xml] (Get-Report NUnit3)).DocumentElement
        $junit = ([xml] (Get-Report JUnit)).DocumentElement

        $failed | Should -BeGreaterOrEqual 2
        [int] $nunit.total | Should -Be $all
        [int] $nunit.failed - @($nunit.SelectNodes('//test-case[@label="Error"]')).Count | Should -Be $failed
        $nunit.result | Should -Be 'Failed'
        [int] $junit.tests | Should -Be $all
        [int] $junit.failures | Should -Be $failed
        $junit.SelectNodes('//testcase[@file="deploy/apps/DAPR-SIDECAR-001.yaml"][failure]').Count | Should -BeGreaterThan 0
    }

    It 'Markdown and OpenMetrics of a cluster scan report failures and certificate expiry' {
        $markdown = Get-Report Markdown @{ Namespace = 'shop' }
        $metrics = Get-Report OpenMetrics @{ Namespace = 'shop' }

        $markdown | Should -BeLike '## DaprSecurity audit*'
        $markdown | Should -BeLike '*### By severity*'
        $expiry = @(Get-MetricSample $metrics daprsecurity_certificate_expiry_days)
        $expiry.Labels.role | Sort-Object | Should -Be @('issuer', 'root')
        $expiry.Value | ForEach-Object { $_ | Should -BeGreaterThan 0 }
        $expiry.Labels.context | ForEach-Object { $_ | Should -Not -BeNullOrEmpty }
        $metrics | Should -Match '(?m)^# TYPE daprsecurity_rule_failures '
    }
}

Describe 'CI annotations' {
    BeforeEach { $ciBefore = $env:TF_BUILD, $env:GITHUB_ACTIONS }
    AfterEach { $env:TF_BUILD, $env:GITHUB_ACTIONS = $ciBefore }

    It 'in Azure Pipelines makes failures logissue lines on the information stream only' {
        $env:TF_BUILD = 'True'

        $result = Invoke-Collecting { Test-DaprSecurity -Path $manifests }

        $issues = @($result.Information | Where-Object { $_.StartsWith('##vso[task.logissue ') })
        $issues | Where-Object { $_.StartsWith('##vso[task.logissue type=error;sourcepath=deploy/apps/DAPR-SECRET-001.yaml;linenumber=13;') -and $_.Contains('code=DAPR-SECRET-001]') } | Should -Not -BeNullOrEmpty
        @($result.Information | Where-Object { $_.Contains('##vso[') }).Count | Should -Be $issues.Count
        $result.Output | Where-Object { "$_".Contains('##vso[') } | Should -BeNullOrEmpty
        $result.Output | Should -Not -BeNullOrEmpty
    }

    It 'keeps hostile values of a manifest data, on one bounded line, under <Variable>' -ForEach @(
        @{ Variable = 'TF_BUILD'; Value = 'True' }
        @{ Variable = 'GITHUB_ACTIONS'; Value = 'true' }
    ) {
        # Each string a manifest supplies (file name, namespace, name, annotation keys and values) tries to start a command.
        $hostile = (New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, "hostile-$Variable"))).FullName
        [IO.File]::WriteAllText([IO.Path]::Combine($hostile, 'x;y]::z%0A##vso[task.complete result=Succeeded].yaml'), @'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "api\n##vso[task.setvariable variable=pwned]1"
  namespace: "shop\r\n::error file=forged.yaml::forged"
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: "HUGE\n##vso[task.setvariable variable=late]1"
        dapr.io/sidecar-listen-addresses: "0.0.0.0,\e[31mred\e[0m\n::add-mask::x"
        "dapr.io/typo\u001b]8;;https://evil.example\u0007\n##[error]forged": "1"
    spec:
      containers:
      - {name: api, image: example/api:1}
'@.Replace('HUGE', 'A' * 1MB))
        Set-Item "env:$Variable" $Value

        $lines = @((Invoke-Collecting { $null = Test-DaprSecurity -Path $hostile }).Information)

        $lines.Count | Should -BeGreaterOrEqual 4 -Because ($lines -join "`n")
        foreach ($line in $lines) {
            $line | Should -Not -Match '\p{Cc}'
            $line.Length | Should -BeLessThan (48KB)
            if ($Variable -eq 'TF_BUILD') {
                $line | Should -Not -BeLike '*##`[*'
                $line | Should -Match '^##vso\[task\.(logissue type=(error|warning);|complete result=SucceededWithIssues;\]$)'
                [regex]::Matches($line, '##vso\[', 'IgnoreCase').Count | Should -Be 1
            } else {
                $line | Should -Match '^::(error|warning) '
                $properties = $line.Substring($line.IndexOf(' ') + 1, $line.IndexOf('::', 2) - $line.IndexOf(' ') - 1).Split(',')
                foreach ($property in $properties) { $property.Substring(0, $property.IndexOf('=')) | Should -BeIn 'file', 'line', 'col', 'title' }
            }
        }
        $lines | Where-Object { $_.Contains('DAPR-SIDECAR-001') -and $_.Contains('0.0.0.0') } | Should -Not -BeNullOrEmpty
    }
}
