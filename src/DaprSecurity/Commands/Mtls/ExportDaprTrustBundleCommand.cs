using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands.Mtls;

/// <summary>Saves Dapr's trust bundle (ca.crt and issuer.crt, and issuer.key if asked) to a directory, readable only by you.</summary>
/// <remarks>
/// <para>Export-DaprTrustBundle copies the Secret dapr-trust-bundle of the Dapr control plane into a directory, byte for byte: ca.crt (the trust anchors) and issuer.crt (the issuer chain). The issuer's private key, issuer.key, is written only with -IncludePrivateKey. Each file is created readable and writable by its owner only (mode 0600, or an owner-only ACL on Windows) before any content is written.</para>
/// <para>Existing files are not overwritten unless -Force is given; in that case nothing is written when any file would be. Use the export as a backup before Update-DaprTrustBundle, to inspect the certificates offline with Get-DaprCertificate -Path, or to put the bundle back with Update-DaprTrustBundle -RootCertificatePath -IssuerCertificatePath -IssuerKeyPath.</para>
/// </remarks>
/// <example>
/// <code>Export-DaprTrustBundle -Path ./dapr-ca</code>
/// <para>Writes ./dapr-ca/ca.crt and ./dapr-ca/issuer.crt from the current cluster.</para>
/// </example>
/// <example>
/// <code>Export-DaprTrustBundle -Path ./backup-prod -Context prod-northeurope -IncludePrivateKey -PassThru</code>
/// <para>Backs up the whole bundle of the prod cluster, issuer key included, and shows the certificates written.</para>
/// </example>
[Cmdlet(VerbsData.Export, "DaprTrustBundle", HelpUri = HelpLinks.ExportTrustBundle, SupportsShouldProcess = true)]
[OutputType(typeof(DaprCertificateInfo))]
public sealed class ExportDaprTrustBundleCommand : DaprControlPlaneCmdlet
{
    /// <summary>The directory to write ca.crt, issuer.crt and issuer.key into. It is created when missing.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Also writes issuer.key, the issuer's private key. Anyone holding it can issue certificates your Dapr sidecars trust: keep it safe.</summary>
    [Parameter]
    public SwitchParameter IncludePrivateKey { get; set; }

    /// <summary>Overwrites files that already exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Returns the certificates written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void Process()
    {
        var request = new TrustBundleExportRequest(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), IncludePrivateKey, Force, ControlPlaneNamespace);
        RunInClusters(Clusters(), c => c, c => RunEngine(() => Engine<IMtlsService>().ExportAsync(c.Connection, request, EngineHost, EngineHost.CancellationToken)).Where(_ => PassThru.IsPresent), inParallel: false);
    }
}
