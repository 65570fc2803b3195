# Get-DaprControlPlane, and how the mTLS cmdlets find a control plane or name one that is wrong: a lab whose Dapr
# 1.15.4 control plane is in dapr-ops, not dapr-system, so nothing can pass by assuming the default (tests that break a
# service put it back as it was); a second lab for a cluster without Dapr, and with two control planes.

BeforeAll {
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'TestHelpers.psm1')) -Force
    Import-Module ([IO.Path]::Combine($PSScriptRoot, 'DaprLab.psm1'))
    $lab = Enter-DaprLab -Configuration (Get-TestConfiguration) -ServerArgument '--dapr', '--control-plane-namespace', 'dapr-ops', '--dapr-version', '1.15.4', '--app-namespaces', '1'
    Import-Module (Get-ModuleManifestPath) -Force
    $roles = 'Sentry', 'Operator', 'Placement', 'Scheduler', 'SidecarInjector'

    # Runs $Read until $Done holds of what it returned (controllers report readiness a moment later); fails with the
    # last value read after 60 s.
    function Wait-Until([scriptblock] $Read, [scriptblock] $Done) {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($true) {
            $value = & $Read
            if (& $Done $value) { return $value }
            if ([DateTime]::UtcNow -gt $deadline) { throw "The condition did not hold within 60 s; last read: $($value | Out-String)" }
            Start-Sleep -Milliseconds 200
        }
    }

    # Deletes an object of the lab for the duration of $Test, then writes it back as it was.
    function Invoke-Without([string] $Group, [string] $Version = 'v1', [string] $Resource, [string] $Namespace, [string] $Name, [scriptblock] $Test) {
        $stored = Get-DaprLabObject $lab -Group $Group -Version $Version -Resource $Resource -Namespace $Namespace -Name $Name
        Get-DaprLabObject $lab -Group $Group -Version $Version -Resource $Resource -Namespace $Namespace -Name $Name -Delete | Should -BeTrue
        try { & $Test } finally { Restore-LabObject $stored }
    }

    # Writes an object read with Get-DaprLabObject back, as created anew.
    function Restore-LabObject($Stored) {
        foreach ($field in 'resourceVersion', 'uid', 'creationTimestamp', 'generation') { $Stored.metadata.PSObject.Properties.Remove($field) }
        $Stored.PSObject.Properties.Remove('status')
        Set-DaprLabObject $lab ($Stored | ConvertTo-Json -Depth 64)
    }
}

AfterAll {
    $lab | Exit-DaprLab
}

Describe 'Get-DaprControlPlane' {
    It 'finds the control-plane namespace and lists every service in restart order' {
        $services = Get-DaprControlPlane

        $services.Name | Should -Be 'dapr-sentry', 'dapr-operator', 'dapr-placement-server', 'dapr-scheduler-server', 'dapr-sidecar-injector'
        $services.Role | ForEach-Object { "$_" } | Should -Be $roles
        $services.Namespace | Sort-Object -Unique | Should -Be 'dapr-ops'
        $services.Version | Sort-Object -Unique | Should -Be '1.15.4'
        $services.DesiredReplicas | Sort-Object -Unique | Should -Be 1
        "$($services[2].Kind)" | Should -Be 'StatefulSet'
        $services[0].PSObject.TypeNames[0] | Should -Be 'DaprSecurity.Output.DaprControlPlaneComponent'
    }

    It 'reports healthy services Running with every replica ready' {
        $services = Wait-Until { @(Get-DaprControlPlane) } { param($s) $s.Count -eq 5 -and -not ($s | Where-Object { -not $_.Healthy }) }

        $services.Status | Sort-Object -Unique | Should -Be 'Running'
        $services.ReadyReplicas | Sort-Object -Unique | Should -Be 1
    }

    It 'names a -ControlPlaneNamespace that <Why>: <Command>' -ForEach @(
        @{ Command = 'Get-DaprControlPlane -ControlPlaneNamespace dapr'; Why = 'does not exist'; Message = "The namespace 'dapr' given as -ControlPlaneNamespace does not exist" }
        @{ Command = 'Test-DaprMtls -ControlPlaneNamespace dapr'; Why = 'does not exist'; Message = "The namespace 'dapr' given as -ControlPlaneNamespace does not exist" }
        @{ Command = 'Get-DaprCertificate -ControlPlaneNamespace dapr'; Why = 'does not exist'; Message = "The namespace 'dapr' given as -ControlPlaneNamespace does not exist" }
        @{ Command = 'Get-DaprControlPlane -ControlPlaneNamespace default'; Why = 'holds no control plane'; Message = "No Dapr control plane in namespace 'default'" }
        @{ Command = 'Test-DaprMtls -ControlPlaneNamespace app-0001'; Why = 'holds no control plane'; Message = "No Dapr control plane in namespace 'app-0001'" }
        @{ Command = 'Get-DaprCertificate -ControlPlaneNamespace default'; Why = 'holds no control plane'; Message = "No Dapr control plane in namespace 'default'" }
    ) {
        $result = Invoke-Collecting ([scriptblock]::Create($Command))

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DaprControlPlaneNotFound,*'
        $result.Errors[0].Exception.Message | Should -BeLike "$Message*"
        $result.Output | Should -BeNullOrEmpty
    }

    It 'shows a deleted <Role> as an unhealthy Not found row in its place' -ForEach @(
        @{ Resource = 'statefulsets'; Name = 'dapr-scheduler-server'; Role = 'Scheduler'; Kind = 'StatefulSet' }
        @{ Resource = 'deployments'; Name = 'dapr-sidecar-injector'; Role = 'SidecarInjector'; Kind = 'Deployment' }
        @{ Resource = 'deployments'; Name = 'dapr-sentry'; Role = 'Sentry'; Kind = 'Deployment' }
    ) {
        Invoke-Without -Group apps -Resource $Resource -Namespace dapr-ops -Name $Name -Test {
            $rows = @(Get-DaprControlPlane -ControlPlaneNamespace dapr-ops)

            $rows.Role | ForEach-Object { "$_" } | Should -Be $roles
            $missing = @($rows | Where-Object { "$($_.Role)" -eq $Role })
            $missing | Should -HaveCount 1
            "$($missing.Name) $($missing.Healthy) $($missing.Status) $($missing.Kind) $($missing.Ready)" | Should -Be "$Name False Not found $Kind 0/0"
        }
    }

    It 'does not pass MtlsEnabled without the daprsystem Configuration' {
        Invoke-Without -Group dapr.io -Version v1alpha1 -Resource configurations -Namespace dapr-ops -Name daprsystem -Test {
            foreach ($report in (Test-DaprMtls), (Test-DaprMtls -ControlPlaneNamespace dapr-ops)) {
                $check = $report.Checks | Where-Object Name -eq MtlsEnabled
                "$($check.Result)" | Should -Be 'Warning'
                $check.Detail | Should -BeLike '*There is no Configuration dapr-ops/daprsystem*'
                "$($report.Verdict)" | Should -Not -Be 'Pass'
            }
        }
    }

    It 'says to name the namespace when the identity may not list Configurations cluster-wide, and naming it works' {
        $ops = Invoke-DaprLabAdmin $lab POST users @{ name = 'ops'; forbidden = @(@{ verbs = 'list'; resources = 'configurations' }) }
        $kubeconfig = [IO.Path]::Combine($TestDrive, 'ops.kubeconfig')
        [IO.File]::WriteAllText($kubeconfig, $ops.kubeconfig)

        $result = Invoke-Collecting { Get-DaprControlPlane -KubeConfig $kubeconfig }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KubeApiForbidden,*'
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-ControlPlaneNamespace*'
        Get-DaprControlPlane -KubeConfig $kubeconfig -ControlPlaneNamespace dapr-ops | Should -HaveCount 5
    }

    It 'shows a crash-looping Sentry unhealthy with the reason, and fails SentryHealthy' {
        $sentry = Get-DaprLabObject $lab -Group apps -Resource deployments -Namespace dapr-ops -Name dapr-sentry
        $broken = Get-DaprLabObject $lab -Group apps -Resource deployments -Namespace dapr-ops -Name dapr-sentry
        $broken.spec.template.metadata.annotations | Add-Member 'test.daprsecurity.io/rollout' 'fail' -Force
        Set-DaprLabObject $lab ($broken | ConvertTo-Json -Depth 64)
        try {
            $row = Wait-Until { @(Get-DaprControlPlane)[0] } { param($r) -not $r.Healthy }
            $check = (Test-DaprMtls).Checks | Where-Object Name -eq SentryHealthy

            $row.Name | Should -Be 'dapr-sentry'
            $row.Status | Should -BeLike 'Waiting (CrashLoopBackOff)*'
            "$($check.Result)" | Should -Be 'Fail'
            $check.Detail | Should -BeLike '*not healthy*'
        } finally {
            Restore-LabObject $sentry
        }
    }
}

Describe 'A second lab: no Dapr, then a Dapr 1.13.6 control plane, then two' {
    BeforeAll {
        $other = Start-DaprLab -Configuration (Get-TestConfiguration) -ServerArgument @()
    }
    AfterAll { $other | Stop-DaprLab }

    It 'makes a cluster without Dapr a clear error' {
        $result = Invoke-Collecting { Test-DaprMtls -KubeConfig $other.KubeConfig }

        $result.Errors | Should -HaveCount 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DaprControlPlaneNotFound,*'
        $result.Errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-ControlPlaneNamespace*'
    }

    It 'does not miss a scheduler in a control plane older than Dapr 1.14' {
        $lab1136 = Start-DaprLab -Configuration (Get-TestConfiguration) -ServerArgument '--dapr', '--dapr-version', '1.13.6', '--app-namespaces', '0'
        try {
            $null = Get-DaprLabObject $lab1136 -Group apps -Resource statefulsets -Namespace dapr-system -Name dapr-scheduler-server -Delete

            (Get-DaprControlPlane -KubeConfig $lab1136.KubeConfig).Role | ForEach-Object { "$_" } | Should -Be 'Sentry', 'Operator', 'Placement', 'SidecarInjector'
        } finally {
            $lab1136 | Stop-DaprLab
        }
    }

    It 'needs -ControlPlaneNamespace to tell two control planes apart' {
        # The first lab's control plane copied into this one twice, as dapr-blue and dapr-green.
        $objects = @(
            foreach ($name in 'dapr-sentry', 'dapr-operator', 'dapr-sidecar-injector') { Get-DaprLabObject $lab -Group apps -Resource deployments -Namespace dapr-ops -Name $name }
            foreach ($name in 'dapr-placement-server', 'dapr-scheduler-server') { Get-DaprLabObject $lab -Group apps -Resource statefulsets -Namespace dapr-ops -Name $name }
            Get-DaprLabObject $lab -Group dapr.io -Version v1alpha1 -Resource configurations -Namespace dapr-ops -Name daprsystem
            Get-DaprLabObject $lab -Resource secrets -Namespace dapr-ops -Name dapr-trust-bundle
            Get-DaprLabObject $lab -Resource configmaps -Namespace dapr-ops -Name dapr-trust-bundle
        )
        foreach ($ns in 'dapr-blue', 'dapr-green') {
            Set-DaprLabObject $other "apiVersion: v1`nkind: Namespace`nmetadata: {name: $ns}"
            foreach ($object in $objects) {
                foreach ($field in 'resourceVersion', 'uid', 'creationTimestamp', 'generation') { $object.metadata.PSObject.Properties.Remove($field) }
                $object.PSObject.Properties.Remove('status')
                $object.metadata.namespace = $ns
                Set-DaprLabObject $other ($object | ConvertTo-Json -Depth 64)
            }
        }

        $ambiguous = Invoke-Collecting { Get-DaprCertificate -KubeConfig $other.KubeConfig }
        $green = @(Get-DaprCertificate -KubeConfig $other.KubeConfig -ControlPlaneNamespace dapr-green)

        $ambiguous.Errors | Should -HaveCount 1
        $ambiguous.Errors[0].FullyQualifiedErrorId | Should -BeLike 'DaprControlPlaneAmbiguous,*'
        $ambiguous.Errors[0].Exception.Message | Should -BeLike '*dapr-blue, dapr-green*'
        $green | Should -Not -BeNullOrEmpty
        $green.Namespace | Sort-Object -Unique | Should -Be 'dapr-green'
    }
}
