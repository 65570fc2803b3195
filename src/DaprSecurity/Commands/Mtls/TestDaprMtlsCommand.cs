using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands.Mtls;

/// <summary>Checks Dapr's mTLS setup end to end: configuration, Sentry, the trust bundle, root and issuer expiry, and stale sidecars.</summary>
/// <remarks>
/// <para>Test-DaprMtls returns one report with a list of named checks, each Pass, Warning or Fail with a detail that says what is wrong, why it matters to Dapr and what to do, and an overall Verdict (the worst result). The checks are: MtlsEnabled (the daprsystem Configuration; absent means enabled, as in Dapr), WorkloadCertTtl and AllowedClockSkew (they parse and are sane), SentryHealthy, TrustBundleSecret (ca.crt, issuer.crt and issuer.key present), TrustBundleConfigMap (its ca.crt byte-identical to the Secret's, or Sentry silently generates a new CA at its next restart), IssuerChain (the issuer's signature verifies with the root's key), IssuerKey (issuer.key belongs to issuer.crt), RootValidity and IssuerValidity (not yet valid, expired, or expiring within -WarningDays, with the days left), TrustAnchorsCurrent (running sidecars whose DAPR_TRUST_ANCHORS differ from the current ca.crt) and SidecarMtls (Dapr pods without --enable-mtls).</para>
/// <para>ECDSA (Dapr up to 1.17) and Ed25519 (Dapr 1.18 and later) roots and issuers are both understood.</para>
/// <para>In Azure Pipelines (TF_BUILD=True) every warning and failure is also written as a ##vso[task.logissue] line, so it shows in the run summary; text read from the cluster is escaped so it cannot inject logging commands. With -Quiet the cmdlet returns only $true (every check passed) or $false.</para>
/// </remarks>
/// <example>
/// <code>Test-DaprMtls</code>
/// <para>Runs every check against the current cluster and shows the verdict; (Test-DaprMtls).Checks lists the checks.</para>
/// </example>
/// <example>
/// <code>(Test-DaprMtls -Context prod-northeurope -WarningDays 45).Checks | Where-Object Result -ne Pass</code>
/// <para>Shows only what needs attention on the prod cluster, warning about certificates that expire within 45 days.</para>
/// </example>
/// <example doctest="skip - the lab's issuer expires in 20 days, so it throws there, as it should">
/// <code>if (-not (Test-DaprMtls -Quiet)) { throw 'Dapr mTLS needs attention' }</code>
/// <para>Fails a script or pipeline step unless every check passes.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "DaprMtls", HelpUri = HelpLinks.TestMtls)]
[OutputType(typeof(DaprMtlsReport), typeof(bool))]
[ReadsClustersInParallel]
public sealed class TestDaprMtlsCommand : DaprControlPlaneCmdlet
{
    /// <summary>A root or issuer that expires within this many days gives a warning. The default is 30, the dapr CLI's threshold.</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int WarningDays { get; set; } = 30;

    /// <summary>Returns only $true when every check passes, $false otherwise (warnings included).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private protected override void Process() => CollectClusters();

    private protected override void End() => ReadCollectedClusters(c =>
    {
        var report = RunEngine(() => Engine<IMtlsService>().TestAsync(c.Connection, ControlPlaneNamespace, WarningDays, EngineHost, EngineHost.CancellationToken));
        return new object[] { Quiet ? report.Verdict == DaprCheckResult.Pass : report };
    });
}
