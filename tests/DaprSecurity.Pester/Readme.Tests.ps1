# The README as a doc-test: every ```powershell block runs in order, as written, in one session against a fresh lab,
# in an empty working directory. A block preceded by the line <!-- doctest: skip - <reason> --> is skipped with that
# reason. A failure names the block's number, its line in README.md, its first line and every error.

BeforeDiscovery {
    $readme = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'README.md')
    $lines = [IO.File]::ReadAllLines($readme)
    $blocks = [Collections.Generic.List[hashtable]]::new()
    $skip = $null
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^\s*<!--\s*doctest:\s*skip\s*-\s*(?<reason>.+?)\s*-->\s*$') { $skip = $Matches.reason; continue }
        if ($line -match '^\s*```') {
            $language = $line.Trim().Substring(3).Trim()
            $start = $i
            $body = [Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i] -notmatch '^\s*```\s*$'; $i++) { $body.Add($lines[$i]) }
            if ($i -ge $lines.Count) { throw "README.md line $($start + 1): the fenced block is never closed" }
            if ($language -in 'powershell', 'pwsh', 'ps1') {
                $code = $body -join "`n"
                $blocks.Add(@{
                    Number    = $blocks.Count + 1
                    Line      = $start + 1
                    FirstLine = ($body | Where-Object { $_.Trim() } | Select-Object -First 1).Trim()
                    Code      = $code
                    Skip      = $skip
                })
            }
            $skip = $null
            continue
        }
        # A skip marker applies to the next block only when nothing but blank lines comes between them.
        if ($line.Trim()) { $skip = $null }
    }
}

Describe 'README.md' {
    BeforeAll {
        Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
        Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
        $lab = Start-DaprLab -Configuration (Get-TestConfiguration)
        $kubeconfigBefore = $env:KUBECONFIG
        $env:KUBECONFIG = $lab.KubeConfig
        $workDirectory = (New-Item -ItemType Directory ([IO.Path]::Combine($lab.Directory, 'work'))).FullName
        $session = New-UserSession -WorkingDirectory $workDirectory
    }

    AfterAll {
        if ($session) { $session.Dispose() }
        $env:KUBECONFIG = $kubeconfigBefore
        if ($lab) { $lab | Stop-DaprLab }
    }

    It 'has powershell blocks to run' -ForEach @(@{ Count = $blocks.Count }) {
        $Count | Should -BeGreaterThan 0
    }

    It 'block <Number> (line <Line>) runs: <FirstLine>' -ForEach $blocks {
        if ($Skip) {
            Set-ItResult -Skipped -Because "the README marks it: $Skip"
            return
        }
        $known = Invoke-DocumentedExample $session $Code -Key "README $FirstLine" -Description "README block $Number (line $Line, '$FirstLine')"
        if ($known) { Set-ItResult -Pending -Because "known failure: $known" }
    }
}
