# Rotation over 1,000 app namespaces (the --dapr seed: every third app reads the app token): one paged namespace list,
# no per-namespace lists, one secret write per namespace and one restart per consumer. Timings are reported, never asserted.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $count = 1000
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -ServerArgument '--dapr', '--app-namespaces', $count
    Import-Module (Get-ModuleManifestPath) -Force
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Rotating 1,000 namespaces' {
    It 'lists namespaces once and restarts exactly the consumers' {
        $names = 1..$count | ForEach-Object { 'app-{0:0000}' -f $_ }
        $null = Invoke-DaprLabAdmin $lab DELETE requests
        # A session of its own, so its progress records (which no redirection reaches) can be read.
        $state = [initialsessionstate]::CreateDefault2()
        $state.ImportPSModule((Get-ModuleManifestPath))
        $shell = [powershell]::Create($state)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = $shell.AddScript('New-DaprAppToken | Set-DaprTokenSecret -Namespace app-* -PassThru | Restart-DaprDeployment | ForEach-Object { "$($_.Namespace)=$($_.Status)" }').Invoke()
        $requests = @(Invoke-DaprLabAdmin $lab GET requests/recent)
        Write-Host "1,000 namespaces: $($clock.Elapsed.TotalSeconds.ToString('0.0')) s, $($requests.Count) requests"

        $shell.Streams.Error | Should -BeNullOrEmpty
        # Index 1, 4, 7, ... of the seed reads the app token.
        $consumers = for ($i = 1; $i -lt $count; $i += 3) { "$($names[$i])=Restarted" }
        $output | Sort-Object | Should -Be $consumers
        $namespacePages = [Math]::Ceiling(($count + 2) / 500)
        @($requests | Where-Object { $_.verb -eq 'list' -and $_.resource -eq 'namespaces' }).Count | Should -Be $namespacePages
        @($requests | Where-Object { $_.verb -eq 'list' -and $_.namespace }).Count | Should -Be 0
        @($requests | Where-Object { $_.resource -eq 'secrets' -and $_.verb -in 'create', 'update' }).Count | Should -Be $count
        @($requests | Where-Object { $_.verb -eq 'patch' -and $_.resource -eq 'deployments' }).Count | Should -Be $consumers.Count
        $shell.Streams.Progress | Where-Object { "$($_.Activity) $($_.StatusDescription) $($_.CurrentOperation)" -like '*of 1000*' } | Should -Not -BeNullOrEmpty
        $generation = { param($name) (Get-DaprLabObject $lab -Group apps -Resource deployments -Namespace $name -Name $name).metadata.generation }
        (& $generation $names[1]), (& $generation $names[0]) | Should -Be 2, 1
        $shell.Dispose()
    }
}
