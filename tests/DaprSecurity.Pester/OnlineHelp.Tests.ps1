# The help around the cmdlets, as a user reaches it after Import-Module: the about_ topics (Get-Help about_*), and
# Get-Help -Online, which opens each cmdlet's HelpUri: a README section whose anchor must exist (computed as GitHub
# computes heading anchors). No lab: none of this talks to a cluster.

BeforeDiscovery {
    $moduleRoot = [IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'DaprSecurity')
    $topics = @(Get-ChildItem ([IO.Path]::Combine($moduleRoot, 'en-US')) -Filter 'about_*.help.txt' | ForEach-Object { @{ Topic = $_.Name -replace '\.help\.txt$' } })
    Import-Module ([IO.Path]::Combine($moduleRoot, 'DaprSecurity.psd1')) -Force
    $cmdlets = @((Get-Module DaprSecurity).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module (Get-ModuleManifestPath) -Force

    # GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces to '-', and a repeated
    # anchor gets -1, -2, ... in order.
    function Get-GitHubAnchor([string[]] $Heading) {
        $seen = @{}
        foreach ($text in $Heading) {
            $slug = ($text.Trim().ToLowerInvariant() -replace '[^\p{L}\p{Nd}\p{Mn}\p{Pc} -]', '') -replace ' ', '-'
            if ($seen.ContainsKey($slug)) { $seen[$slug]++; "$slug-$($seen[$slug])" } else { $seen[$slug] = 0; $slug }
        }
    }

    $readme = Get-Content ([IO.Path]::Combine((Get-RepositoryRoot), 'README.md'))
    $inFence = $false
    $headings = foreach ($line in $readme) {
        if ($line -match '^\s*```') { $inFence = -not $inFence; continue }
        if (-not $inFence -and $line -match '^#{1,6}\s+(.+?)\s*#*\s*$') { $Matches[1] -replace '`' }
    }
    $anchors = @(Get-GitHubAnchor $headings)
    $projectReadme = ((Get-Module DaprSecurity).PrivateData.PSData.ProjectUri.ToString().TrimEnd('/')) + '/blob/main/README.md#'
}

Describe 'about_ topics' {
    BeforeAll {
        $shipped = @(Get-ChildItem ([IO.Path]::Combine((Get-Module DaprSecurity).ModuleBase, 'en-US')) -Filter 'about_*.help.txt' | ForEach-Object { $_.Name -replace '\.help\.txt$' })
    }

    It 'the module ships about_DaprSecurity and one topic per family' {
        $shipped | Should -Contain 'about_DaprSecurity'
        foreach ($family in 'Tokens', 'Mtls', 'ComponentScopes', 'Workloads', 'Audit', 'Clusters') {
            $shipped | Should -Contain "about_DaprSecurity_$family"
        }
    }

    It 'Get-Help <Topic> shows the topic' -ForEach $topics {
        $help = Get-Help $Topic | Out-String
        $help | Should -Match "TOPIC\s+$Topic\b"
        $help | Should -Match 'SHORT DESCRIPTION'
    }

    It 'Get-Help about_DaprSecurity* lists every topic with its short description' {
        $listed = @(Get-Help about_DaprSecurity*)
        @($listed.Name) | Sort-Object | Should -Be @($shipped | Sort-Object)
        $listed | Where-Object { -not $_.Synopsis } | Should -BeNullOrEmpty
    }

    It 'about_DaprSecurity covers the two token kinds, how the cluster is chosen, and error ids' {
        $text = Get-Help about_DaprSecurity | Out-String
        $text | Should -Match 'APP_API_TOKEN'
        $text | Should -Match 'DAPR_API_TOKEN'
        $text | Should -Match 'KUBECONFIG'
        $text | Should -Match 'FullyQualifiedErrorId'
        # Each error id it names is one the catalogue declares.
        $catalogue = Get-Content -Raw ([IO.Path]::Combine((Get-RepositoryRoot), 'src', 'DaprSecurity', 'Abstractions', 'DaprErrors.cs'))
        $section = [regex]::Match($text, '(?s)Common ids:(.+?)\.\s').Groups[1].Value
        $ids = @([regex]::Matches($section, '[A-Z][A-Za-z]+') | ForEach-Object Value)
        $ids | Should -Not -BeNullOrEmpty
        $ids | Where-Object { $catalogue -notmatch "new\(`"$_`"" } | Should -BeNullOrEmpty
    }

    It 'every topic a SEE ALSO names exists' {
        foreach ($topic in $shipped) {
            $text = Get-Help $topic | Out-String
            foreach ($named in [regex]::Matches($text, 'about_DaprSecurity\w*') | ForEach-Object Value) {
                $shipped | Should -Contain $named -Because "$topic names $named"
            }
        }
    }
}

Describe 'Online help of <Name>' -ForEach $cmdlets {
    It 'has a HelpUri to a README section that exists' {
        $uri = (Get-Command $Name).HelpUri
        $uri | Should -BeLike "$projectReadme*"
        $anchor = $uri.Substring($projectReadme.Length)
        $anchors | Should -Contain $anchor -Because "$Name's HelpUri names the README section #$anchor"
    }
}

Describe 'Get-Help -Online' {
    It 'opens the HelpUri in the browser' -Skip:($IsWindows -or $IsMacOS) {
        # The browser is the xdg-open found on the PATH: a stand-in that records the address it was given.
        $bin = New-Item -ItemType Directory ([IO.Path]::Combine($TestDrive, 'bin'))
        $opened = [IO.Path]::Combine($TestDrive, 'opened.txt')
        Set-Content ([IO.Path]::Combine($bin, 'xdg-open')) "#!/bin/sh`nprintf '%s' `"`$1`" > '$opened'`n"
        & chmod +x ([IO.Path]::Combine($bin, 'xdg-open'))
        $result = Invoke-Pwsh -Environment @{ PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH" } -Script "Import-Module '$(Get-ModuleManifestPath)'; Get-Help Restart-DaprDeployment -Online"
        $result.ExitCode | Should -Be 0 -Because $result.Output
        # xdg-open runs detached: wait for its file, with a timeout that fails clearly.
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while (-not (Test-Path $opened) -or -not (Get-Content -Raw $opened)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'Get-Help -Online did not start the browser within 20 s' }
            Start-Sleep -Milliseconds 100
        }
        Get-Content -Raw $opened | Should -Be (Get-Command Restart-DaprDeployment).HelpUri
    }
}
