# The benchmark suite's helper (bench/Bench.psm1): its arithmetic, and that each run's requests are counted on their own.
# The benchmarks themselves are not part of the test run (see README "Benchmarks").

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine((Get-RepositoryRoot), 'bench', 'Bench.psm1')) -Force
    function New-Sample([double[]] $Seconds) { foreach ($s in $Seconds) { [pscustomobject]@{ Seconds = $s; Requests = $null } } }
}

Describe 'Get-BenchMedian' {
    It 'is the middle value of an odd count and the mean of the middle two of an even one, in any order' {
        Get-BenchMedian 3, 1, 2 | Should -Be 2
        Get-BenchMedian 4, 1, 3, 2 | Should -Be 2.5
        Get-BenchMedian 7 | Should -Be 7
    }
}

Describe 'New-BenchRow' {
    It 'gives the medians and the median of the pairwise ratios and differences, not the ratio of the medians' {
        $row = New-BenchRow 'scenario' 'a' @(New-Sample 1, 3, 9) 'b' @(New-Sample 4, 2, 3) -Target 'faster' -Met { param($r) $r.Ratio -lt 1 }
        $row.AMedian | Should -Be 3
        $row.BMedian | Should -Be 3
        $row.Ratio | Should -Be 1.5          # of 0.25, 1.5 and 3; the medians alone would say 1
        $row.Difference | Should -Be 1       # of -3, 1 and 6
        $row.Pairs | Should -Be 3
        $row.Met | Should -BeFalse
    }

    It 'compares rates for MB/s' {
        $row = New-BenchRow 'scan' 'a' @(New-Sample 1, 2, 4) 'b' @(New-Sample 0.5, 0.5, 1) -Unit MB/s -Bytes 2MB
        $row.AMedian | Should -Be 1          # of 2, 1 and 0.5 MB/s
        $row.BMedian | Should -Be 4
        $row.Ratio | Should -Be 0.25
    }

    It 'compares sizes for MB, pair by pair' {
        $sizes = { param([double[]] $Megabytes) foreach ($m in $Megabytes) { [pscustomobject]@{ Seconds = 9; Megabytes = $m; Requests = $null } } }
        $row = New-BenchRow 'memory' 'a' @(& $sizes 30, 10, 20) 'b' @(& $sizes 10, 10, 40) -Unit MB
        $row.AMedian | Should -Be 20
        $row.BMedian | Should -Be 10
        $row.Ratio | Should -Be 1            # of 3, 1 and 0.5
        $row.Difference | Should -Be 0       # of 20, 0 and -20
        ($row | Format-BenchTable -Markdown)[2] | Should -BeLike '| memory | a | b | 20.0 MB | 10.0 MB | 1.000 | +0.0 MB |*'
    }

    It 'refuses samples that do not pair up' {
        { New-BenchRow 'scenario' 'a' @(New-Sample 1, 2) 'b' @(New-Sample 1) } | Should -Throw '*pairs need equal*'
    }
}

Describe 'Measure-BenchRound' -Skip:(-not (Get-Command kubectl -ErrorAction Ignore)) {
    BeforeAll {
        $lab = Start-BenchLab -Namespaces 2 -WorkloadsPerNamespace 1 -LatencyMs 0 -ControllerDelayMs 0 -Configuration (Get-TestConfiguration)
    }
    AfterAll {
        if ($lab) { $lab | Stop-BenchLab }
    }

    It 'runs the variants in alternating rounds and counts the requests of each run alone' {
        $order = [Collections.Generic.List[string]]::new()
        $samples = Measure-BenchRound -Lab $lab -Rounds 2 -Warmup 1 -Variant ([ordered]@{
            one = { $order.Add('one'); Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, ns, app-0001 }
            two = {
                $order.Add('two')
                $first = Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, ns, app-0001
                $second = Invoke-BenchProcess -Lab $lab -FilePath kubectl -ArgumentList get, ns, app-0002
                [pscustomobject]@{ Seconds = $first.Seconds + $second.Seconds; LastLine = $second.LastLine }
            }
        })
        $order -join ' ' | Should -Be 'one two one two one two'
        $samples['one'].Count | Should -Be 2
        $samples['one'].Requests | Should -Be @(1, 1)
        $samples['two'].Requests | Should -Be @(2, 2)
        $samples['two'][0].Run.LastLine | Should -BeLike 'app-0002 *Active*'
        $samples['two'][0].Seconds | Should -BeGreaterThan 0
    }
}
