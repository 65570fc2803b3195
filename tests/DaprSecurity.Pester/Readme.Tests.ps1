# The README as a doc-test: every ```powershell block runs in order, as written, in one session against a fresh lab
# of two clusters, in the lab's working directory (which holds only ./deploy). A block preceded by the line <!-- doctest: skip - <reason> --> is skipped with that
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
        $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -Cluster (Get-DaprLabFleet)
        # Recovery files of trust-bundle renewals go to the lab, not to the local application data of whoever runs this.
        $dataHomeBefore = $env:XDG_DATA_HOME, $env:LOCALAPPDATA
        $env:XDG_DATA_HOME = $env:LOCALAPPDATA = $lab.Directory
        $session = New-UserSession -WorkingDirectory $lab.WorkDirectory
    }

    AfterAll {
        if ($session) { $session.Dispose() }
        $env:XDG_DATA_HOME, $env:LOCALAPPDATA = $dataHomeBefore
        $lab | Exit-DaprLab
    }

    It 'has powershell blocks to run' -ForEach @(@{ Count = $blocks.Count }) {
        $Count | Should -BeGreaterThan 0
    }

    It 'block <Number> (line <Line>) runs: <FirstLine>' -ForEach $blocks {
        if ($Skip) {
            Set-ItResult -Skipped -Because "the README marks it: $Skip"
            return
        }
        Invoke-DocumentedExample $session $Code -Description "README block $Number (line $Line, '$FirstLine')"
    }
}
