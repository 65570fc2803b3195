# Every default table view of the generated format file (the view named after its type; named views such as Wide are
# chosen with Format-Table -View and may be wider), rendered by the real formatter at 80 and 120 columns: the header line
# holds every column of the view, whole and in order (a column that does not fit is dropped or its header wrapped).
# The columns come from DaprSecurity.Format.ps1xml, so a view that changes is tested as it now is.

BeforeDiscovery {
    $format = [xml] (Get-Content -Raw ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'DaprSecurity', 'DaprSecurity.Format.ps1xml')))
    $views = foreach ($view in $format.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl -and $_.Name -eq $_.ViewSelectedBy.TypeName }) {
        $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
        $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
        $columns = for ($i = 0; $i -lt $items.Count; $i++) { if ($headers[$i].Label) { $headers[$i].Label } else { $items[$i].PropertyName } }
        foreach ($width in 80, 120) { @{ Type = $view.ViewSelectedBy.TypeName; Columns = @($columns); Width = $width } }
    }
}

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration)
    Import-Module (Get-ModuleManifestPath) -Force
    Push-Location $TestDrive

    # One lab command per output type, producing objects to render. A new output type needs a line here.
    $token = New-DaprAppToken
    $producers = [ordered]@{
        'DaprSecurity.Output.DaprAccessEntry'            = { Get-DaprAccessMatrix -Namespace shop }
        'DaprSecurity.Output.DaprCertificateInfo'        = { Get-DaprCertificate }
        'DaprSecurity.Output.DaprComponentScope'         = { Get-DaprComponentScope -Namespace shop }
        'DaprSecurity.Output.DaprContextInfo'            = { Get-DaprContext }
        'DaprSecurity.Output.DaprControlPlaneComponent'  = { Get-DaprControlPlane }
        'DaprSecurity.Output.DaprMtlsCheck'              = { (Test-DaprMtls).Checks }
        'DaprSecurity.Output.DaprMtlsReport'             = { Test-DaprMtls }
        'DaprSecurity.Output.DaprNamespaceInfo'          = { Get-DaprNamespace }
        'DaprSecurity.Output.DaprToken'                  = { $token }
        'DaprSecurity.Output.DaprTokenSecretResult'      = { $token | Set-DaprTokenSecret -Namespace shop, prod-eu -PassThru }
        'DaprSecurity.Output.DaprTokenSecretInfo'        = { $token | Set-DaprTokenSecret -Namespace prod-us; Get-DaprTokenSecret }
        'DaprSecurity.Output.DaprWorkloadInfo'           = { Get-DaprDeployment -Namespace shop }
        'DaprSecurity.Output.DaprRestartResult'          = { Restart-DaprDeployment -Namespace shop -Force }
        'DaprSecurity.Output.DaprTokenEnvironmentResult' = { $token | Set-DaprTokenEnvironment -Path ./view.env -PassThru }
        # The admin endpoint rejects any app token: a real HTTP endpoint that says TokenRejected.
        'DaprSecurity.Output.DaprTokenEnforcementResult' = { Test-DaprTokenEnforcement -Uri "$($lab.AdminUrl)/requests" -Token $token }
        'DaprSecurity.Output.DaprSecurityResult'         = { Test-DaprSecurity -Namespace shop }
        'DaprSecurity.Output.DaprSecurityRule'           = { Get-DaprSecurityRule }
    }
    $returned = @(Get-Command -Module DaprSecurity | ForEach-Object { $_.OutputType.Name })

    # Views that do not fit a width yet ('<type>@<width>' = 'reason'); one that fits fails until it is taken off this
    # list. Every default view fits 80 columns today.
    $tooWide = @{}
}

AfterAll {
    Pop-Location
    $lab | Exit-DaprLab
}

Describe 'Table views' {
    It '<Type> at <Width> columns shows every column: <Columns>' -ForEach $views {
        if (-not $producers.Contains($Type)) {
            if ($returned -contains $Type) { throw "$Type is returned by a cmdlet but Views.Tests.ps1 has no producer for it: add one." }
            Set-ItResult -Skipped -Because "no cmdlet returns $Type yet"
            return
        }
        $objects = @(& $producers[$Type])
        $objects | Should -Not -BeNullOrEmpty -Because "the producer of $Type must return objects in the lab"
        $objects[0].PSObject.TypeNames[0] | Should -Be $Type
        $header = ($objects | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -First 1
        $shown = @($header.Trim() -split '\s+')
        $missing = @($Columns | Where-Object { $_ -notin $shown })
        $pending = $tooWide["$Type@$Width"]
        if ($pending) {
            if (-not $missing -and $shown.Count -eq $Columns.Count) { throw "$Type now fits $Width columns: remove '$Type@$Width' from `$tooWide in Views.Tests.ps1." }
            Set-ItResult -Pending -Because "does not fit $Width columns yet: $pending"
            return
        }
        $missing | Should -BeNullOrEmpty -Because "the header at $Width columns was '$header'"
        $shown | Should -Be $Columns
    }
}

Describe 'Export-Csv' {
    # Every output type (the producers above, and the -Pivot rows, which have no view) exported as a file or a dashboard
    # reads it: each cell a value, never a type name such as System.String[] or a list's .NET name. Lists come joined
    # with ';', durations as numbers. The one exception is the token itself: a SecureString never leaves as text.
    BeforeAll {
        $exportProducers = [ordered]@{}
        foreach ($type in $producers.Keys) { $exportProducers[$type] = $producers[$type] }
        $exportProducers['DaprSecurity.Output.DaprAccessPivotRow'] = { Get-DaprAccessMatrix -Namespace shop -Pivot }
        $secretProperties = @{ 'DaprSecurity.Output.DaprToken' = @('Token') }
    }

    It 'gives readable cells for <_>' -ForEach @(
        'DaprSecurity.Output.DaprAccessEntry', 'DaprSecurity.Output.DaprAccessPivotRow', 'DaprSecurity.Output.DaprCertificateInfo',
        'DaprSecurity.Output.DaprComponentScope', 'DaprSecurity.Output.DaprContextInfo', 'DaprSecurity.Output.DaprControlPlaneComponent',
        'DaprSecurity.Output.DaprMtlsCheck', 'DaprSecurity.Output.DaprMtlsReport', 'DaprSecurity.Output.DaprNamespaceInfo',
        'DaprSecurity.Output.DaprToken', 'DaprSecurity.Output.DaprTokenSecretResult', 'DaprSecurity.Output.DaprTokenSecretInfo',
        'DaprSecurity.Output.DaprWorkloadInfo', 'DaprSecurity.Output.DaprRestartResult', 'DaprSecurity.Output.DaprTokenEnvironmentResult',
        'DaprSecurity.Output.DaprTokenEnforcementResult', 'DaprSecurity.Output.DaprSecurityResult', 'DaprSecurity.Output.DaprSecurityRule') {
        $type = $_
        $objects = @(& $exportProducers[$type])
        $objects | Should -Not -BeNullOrEmpty -Because "the producer of $type must return objects in the lab"
        $file = Join-Path $TestDrive "$($type.Split('.')[-1]).csv"
        $objects | Export-Csv -LiteralPath $file
        $rows = @(Import-Csv -LiteralPath $file)
        $rows.Count | Should -Be $objects.Count
        $unreadable = foreach ($row in $rows) {
            foreach ($cell in $row.PSObject.Properties) {
                if ($cell.Name -in $secretProperties[$type]) { continue }
                # A .NET type name: System.String[], System.Collections.Generic.List`1[...], DaprSecurity.Output.X[].
                if ("$($cell.Value)" -cmatch '\bSystem\.[A-Z]|^DaprSecurity\.[\w.]+(\[\])?$|\[\]$') { "$($cell.Name)=$($cell.Value)" }
            }
        }
        $unreadable | Select-Object -Unique | Should -BeNullOrEmpty -Because "every cell of $type should read as a value"
    }

    It 'the token cell names the SecureString, never the token' {
        $token = New-DaprAppToken
        $plain = $token.Token | ConvertFrom-SecureString -AsPlainText
        $csv = $token | ConvertTo-Csv | Out-String
        $csv | Should -Not -Match ([regex]::Escape($plain))
        $csv | Should -Match 'System.Security.SecureString'
    }
}

Describe 'The format file' {
    BeforeAll {
        $format = [xml] (Get-Content -Raw ([IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'DaprSecurity', 'DaprSecurity.Format.ps1xml')))
        $views = @($format.Configuration.ViewDefinitions.View)
    }

    It 'has a table and a list view for every output type' {
        # Pivot rows carry one property per component: no static view can name those columns, so each row sets its own.
        $types = Get-Command -Module DaprSecurity | ForEach-Object { $_.OutputType.Name } |
            Where-Object { $_ -like 'DaprSecurity.*' -and $_ -ne 'DaprSecurity.Output.DaprAccessPivotRow' } | Sort-Object -Unique
        $types | Should -Not -BeNullOrEmpty
        $tables = $views | Where-Object TableControl | ForEach-Object { $_.ViewSelectedBy.TypeName }
        $lists = $views | Where-Object ListControl | ForEach-Object { $_.ViewSelectedBy.TypeName }
        $types | Where-Object { $_ -notin $tables } | Should -BeNullOrEmpty -Because 'every output type needs a table view'
        $types | Where-Object { $_ -notin $lists } | Should -BeNullOrEmpty -Because 'every output type needs a list view'
    }

    It 'shows text from a cluster or a file only through the sanitizer' {
        $format.SelectNodes('//ScriptBlock').InnerText | Where-Object { -not $_.Contains('[DaprSecurity.Text.UntrustedText]::Sanitize(') } | Should -BeNullOrEmpty
        $raw = foreach ($view in $views) {
            foreach ($name in $view.SelectNodes('.//PropertyName').InnerText) {
                if (([type] $view.ViewSelectedBy.TypeName).GetProperty($name).PropertyType -eq [string]) { "$($view.Name): $name" }
            }
        }
        $raw | Should -BeNullOrEmpty -Because 'a string column shown by PropertyName would bypass the sanitizer'
    }
}
