using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands.Mtls;

/// <summary>Shows the root and issuer certificates of Dapr's mTLS trust bundle, with the days left before each expires.</summary>
/// <remarks>
/// <para>Get-DaprCertificate reads the Secret dapr-trust-bundle in the Dapr control-plane namespace and returns one object per certificate: every trust anchor in ca.crt (Role Root) and the issuer chain in issuer.crt (Role Issuer, then Intermediate). Each object carries Subject, Issuer, NotBefore, NotAfter, DaysUntilExpiry, KeyAlgorithm (ECDSA P-256, Ed25519...), Thumbprint and TrustDomain.</para>
/// <para>Unlike dapr mtls expiry, which looks only at the root, it shows the issuer too: Sentry keeps signing with an expired issuer, and sidecars then fail with x509 errors although the root is still valid.</para>
/// <para>With -Path it reads PEM files instead (offline, no cluster needed): any certificate file, or a directory holding ca.crt and issuer.crt such as one written by Export-DaprTrustBundle. Private keys in those files are never read out.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprCertificate</code>
/// <para>Lists the root and issuer of the current cluster with their expiry dates and days left.</para>
/// </example>
/// <example>
/// <code>Get-DaprCertificate -Context prod-northeurope | Sort-Object DaysUntilExpiry | Select-Object -First 1 -ExpandProperty DaysUntilExpiry</code>
/// <para>The number of days before the first certificate of the prod cluster's trust bundle expires: the one figure a dashboard or an alert needs.</para>
/// </example>
/// <example doctest="skip - reads PEM files exported earlier and a new issuer">
/// <code>Get-DaprCertificate -Path ./backup, ./new/issuer.crt</code>
/// <para>Reads exported or newly made certificates from disk, without a cluster.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprCertificate", HelpUri = HelpLinks.Certificates, DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(DaprCertificateInfo))]
[ReadsClustersInParallel]
public sealed class GetDaprCertificateCommand : DaprControlPlaneCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string PathSet = "Path";

    /// <summary>PEM files to read instead of the cluster, or directories holding ca.crt and issuer.crt. Wildcards are allowed. Accepts files piped from Get-ChildItem or Get-Item (by FullName or PSPath).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    private protected override void Begin()
    {
        // Files need no cluster, and must work without any kubeconfig.
        if (ParameterSetName == ClusterSet)
        {
            base.Begin();
        }
    }

    private protected override void Process()
    {
        if (ParameterSetName == ClusterSet)
        {
            CollectClusters();
            return;
        }

        foreach (var file in Path.SelectMany(ResolveFiles))
        {
            try
            {
                WriteResults(Engine<IMtlsService>().ReadCertificateFile(file, EngineHost));
            }
            catch (DaprSecurityException error)
            {
                WriteError(error);
            }
        }
    }

    private protected override void End()
    {
        if (ParameterSetName == ClusterSet)
        {
            ReadCollectedClusters(c => RunEngine(() => Engine<IMtlsService>().GetCertificatesAsync(c.Connection, ControlPlaneNamespace, EngineHost, EngineHost.CancellationToken)));
        }
    }

    private IEnumerable<string> ResolveFiles(string path)
    {
        try
        {
            return GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException e)
        {
            WriteError(DaprErrors.CertificateFileNotFound.Raise($"Cannot find '{path}'.", path, e));
            return Array.Empty<string>();
        }
    }
}
