using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Hosting;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Mtls;

/// <summary>Renews Dapr's mTLS root and issuer safely, without Helm, and optionally restarts Dapr in the right order.</summary>
/// <remarks>
/// <para>Update-DaprTrustBundle replaces the trust bundle that Sentry signs sidecar certificates with. The new bundle comes from one of three places: a newly generated root and issuer (the default: ECDSA P-256, or Ed25519 with -KeyAlgorithm; -ValidDays long; trust domain from the daprsystem Configuration's controlPlaneTrustDomain, not hard-coded), your own PEM files (-RootCertificatePath, -IssuerCertificatePath, -IssuerKeyPath), or a new issuer signed by the cluster's current root (-RootKeyPath), which keeps ca.crt unchanged so no sidecar ever distrusts another during the restarts.</para>
/// <para>Everything is checked before anything is written, the way Sentry checks it: every root self-signed, the issuer a CA signed by a root, issuer.key matching issuer.crt, all certificates valid now. The Secret and the ConfigMap dapr-trust-bundle are then written with a byte-identical ca.crt, both or neither: both writes are tried as dry runs first, and if the ConfigMap write fails the Secret is put back as it was. Helm is not used, so it works for any install and the key never lands in a Helm release.</para>
/// <para>Before its first write it saves the current bundle (every key of the Secret and the ConfigMap) to a recovery file readable only by you, and prints the path (-BackupPath chooses it). Ctrl+C, a pipeline stop, SIGTERM or SIGINT between the Secret and the ConfigMap writes is held back for a few seconds while the ConfigMap is completed or the Secret put back, and the warning says which. -RestoreFrom puts a saved bundle back. Every restart of Sentry (-Restart, -RestartOnly) first checks that the Secret's and the ConfigMap's ca.crt are identical and refuses otherwise (TrustBundleInconsistent, naming the most recent recovery file).</para>
/// <para>With -Restart it then restarts Sentry and waits for it, restarts the operator, placement, scheduler and injector and waits for them, then restarts every Dapr workload in progressive waves of namespaces, exactly as Restart-DaprDeployment -Wait does: a canary alone (the first namespace, or those -Canary names), then waves of growing size (-Wave, default 1, 5%, 25%, then the rest), the restarts of a wave in parallel (-ThrottleLimit), each rollout followed with one watch per kind and namespace until it is complete. The first failure stops it with an error that says what was done and what was not; there is no success message after an error. Without -Restart it warns which restarts are still needed; -RestartOnly runs them later, in the same order, without writing anything, leaving out workloads whose pods already trust the current root, so running it again after a failure finishes only the rest.</para>
/// <para>With several contexts it works one cluster after the other; with -Restart or -RestartOnly the first context whose update or restarts fail is the last one touched: the later contexts keep their bundle and their pods, and a warning names them.</para>
/// <para>With -Confirm every step of a context (the write, then each restart stage) is asked before that context's first write, so a context is never left half-done waiting for an answer: a No skips that step and the ones after it there. With several contexts a context's questions come when its turn comes, after the previous context finished (with -Restart, only if it went well); Restart-DaprDeployment -Wait instead asks every context's questions before its first restart.</para>
/// <para>ConfirmImpact is High: it asks before it starts unless you pass -Confirm:$false. -WhatIf lists every step (the write, then each restart stage) without changing anything.</para>
/// </remarks>
/// <example>
/// <code>Update-DaprTrustBundle -Restart</code>
/// <para>Generates a new root and issuer valid for a year, writes them, and restarts Sentry, the control plane and every Dapr workload in order.</para>
/// </example>
/// <example>
/// <code>Update-DaprTrustBundle -ValidDays 730 -RootKeyOutputPath ./root.key -PassThru</code>
/// <para>Generates a two-year bundle, keeps the root's private key (owner-readable only) for later issuer renewals with -RootKeyPath, and returns the new certificates.</para>
/// </example>
/// <example>
/// <code>Update-DaprTrustBundle -RootKeyPath ./root.key -ValidDays 90 -Restart -Confirm:$false</code>
/// <para>Issues a new 90-day issuer under the existing root (ca.crt does not change, so there is no downtime) and restarts in order, without prompting.</para>
/// </example>
/// <example doctest="skip - needs your own PEM files: ca.crt, issuer.crt and issuer.key">
/// <code>Update-DaprTrustBundle -RootCertificatePath ./ca.crt -IssuerCertificatePath ./issuer.crt -IssuerKeyPath ./issuer.key -WhatIf</code>
/// <para>Shows what installing your own certificates would do, step by step, without changing anything.</para>
/// </example>
/// <example>
/// <code>Update-DaprTrustBundle -Restart -Canary shop -Wave 1, 50% -ThrottleLimit 8 -Confirm:$false</code>
/// <para>Renews the bundle, restarts the control plane, then the Dapr workloads of shop alone as a canary, then one more namespace, then half of them, then the rest, at most 8 restarts at a time; a failed rollout stops the later waves.</para>
/// </example>
/// <example>
/// <code>Update-DaprTrustBundle -RestartOnly -Confirm:$false</code>
/// <para>Finishes after a restart failed part-way (or after an update without -Restart): restarts Sentry, the control plane and every Dapr workload in order for the bundle already in place, writing nothing.</para>
/// </example>
/// <example doctest="skip - names a recovery file saved by an earlier renewal in prod">
/// <code>Update-DaprTrustBundle -RestoreFrom ~/.local/share/DaprSecurity/trust-bundle-backups/prod_dapr-system_20261201T215500000Z.json -WhatIf</code>
/// <para>Checks a recovery file and shows how it would put that bundle back; without -WhatIf it restores it (the bundle it replaces is saved first, too).</para>
/// </example>
[Cmdlet(VerbsData.Update, "DaprTrustBundle", HelpUri = HelpLinks.UpdateTrustBundle, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = GenerateSet)]
[OutputType(typeof(DaprCertificateInfo))]
[RestartsInWaves]
public sealed class UpdateDaprTrustBundleCommand : DaprControlPlaneCmdlet
{
    private const string GenerateSet = "Generate";
    private const string FilesSet = "Files";
    private const string NewIssuerSet = "NewIssuer";
    private const string RestartOnlySet = "RestartOnly";
    private const string RestoreSet = "Restore";

    /// <summary>How long generated certificates are valid, in days (default 365, as Sentry). With -RootKeyPath, the new issuer never outlives the root.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [Parameter(ParameterSetName = NewIssuerSet)]
    [ValidateRange(1, 3650)]
    public int ValidDays { get; set; } = 365;

    /// <summary>The key type of generated keys: EcdsaP256 (default; read by every Dapr version) or Ed25519 (Dapr 1.18 and later).</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [Parameter(ParameterSetName = NewIssuerSet)]
    public DaprKeyAlgorithm KeyAlgorithm { get; set; } = DaprKeyAlgorithm.EcdsaP256;

    /// <summary>Saves the generated root's private key to this file, readable only by you, so later renewals can keep the root (-RootKeyPath). Without it the root key is discarded, as Sentry does. An existing file is never overwritten.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [ValidateNotNullOrEmpty]
    public string? RootKeyOutputPath { get; set; }

    /// <summary>A PEM file with the root certificate(s) to install as ca.crt. Several roots are allowed (for example the old and the new one during a root change).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? RootCertificatePath { get; set; }

    /// <summary>A PEM file with the issuer certificate (and any intermediates) to install as issuer.crt.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? IssuerCertificatePath { get; set; }

    /// <summary>A PEM file with the issuer's private key (SEC1 EC PRIVATE KEY or PKCS#8; not encrypted).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? IssuerKeyPath { get; set; }

    /// <summary>The private key of a root in the cluster's current ca.crt. A new issuer is signed with it and ca.crt stays as it is.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NewIssuerSet)]
    [ValidateNotNullOrEmpty]
    public string? RootKeyPath { get; set; }

    /// <summary>A recovery file saved by an earlier run (see -BackupPath): checks it, then puts that bundle back (every key of the Secret and the ConfigMap as saved), both or neither.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RestoreSet)]
    [ValidateNotNullOrEmpty]
    public string? RestoreFrom { get; set; }

    /// <summary>Where to save the current bundle (every key of the Secret and the ConfigMap, private keys included) before the first write: a file, or an existing directory for a file named after the context, namespace and time. Default: the DaprSecurity/trust-bundle-backups directory under your local application data (~/.local/share on Linux). The file is readable only by you and never overwritten; its path is printed.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [Parameter(ParameterSetName = FilesSet)]
    [Parameter(ParameterSetName = NewIssuerSet)]
    [Parameter(ParameterSetName = RestoreSet)]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>After writing, restarts Sentry, then the operator, placement, scheduler and injector, then every Dapr workload in waves of namespaces (a canary first), waiting for each rollout. Stops at the first failure.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [Parameter(ParameterSetName = FilesSet)]
    [Parameter(ParameterSetName = NewIssuerSet)]
    [Parameter(ParameterSetName = RestoreSet)]
    public SwitchParameter Restart { get; set; }

    /// <summary>Writes nothing: runs only the restarts of -Restart, in the same order, for the bundle already in the cluster, leaving out Dapr workloads whose pods all trust the current root. Use it to finish after a restart failed, or after an update made without -Restart.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RestartOnlySet)]
    public SwitchParameter RestartOnly { get; set; }

    /// <summary>With -Restart or -RestartOnly, how many seconds each rollout may take before it counts as stuck (default 300), like Wait-Job -Timeout.</summary>
    [Parameter]
    [Alias("TimeoutSeconds")]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <summary>Returns the new root and issuer certificates.</summary>
    [Parameter(ParameterSetName = GenerateSet)]
    [Parameter(ParameterSetName = FilesSet)]
    [Parameter(ParameterSetName = NewIssuerSet)]
    [Parameter(ParameterSetName = RestoreSet)]
    public SwitchParameter PassThru { get; set; }

    private protected override void Process()
    {
        var request = new TrustBundleUpdateRequest
        {
            ControlPlaneNamespace = ControlPlaneNamespace,
            ValidDays = ValidDays,
            KeyAlgorithm = KeyAlgorithm,
            RootKeyOutputPath = FileSystemPath(RootKeyOutputPath),
            RootCertificatePath = FileSystemPath(RootCertificatePath),
            IssuerCertificatePath = FileSystemPath(IssuerCertificatePath),
            IssuerKeyPath = FileSystemPath(IssuerKeyPath),
            RootKeyPath = FileSystemPath(RootKeyPath),
            RestoreFrom = FileSystemPath(RestoreFrom),
            BackupPath = FileSystemPath(BackupPath),
            Restart = Restart,
            RestartOnly = RestartOnly,
            RolloutTimeout = TimeSpan.FromSeconds(Timeout),
            Canary = Waves.Canary,
            Waves = Waves.Wave,
            ThrottleLimit = Waves.ThrottleLimit,
        };
        IEnumerable<DaprCertificateInfo> Update(TargetCluster c) => RunEngine(() => Engine<IMtlsService>().UpdateTrustBundleAsync(c.Connection, request, EngineHost, EngineHost.CancellationToken)).Where(_ => PassThru.IsPresent);
        if (!Restart && !RestartOnly)
        {
            RunInClusters(Clusters(), c => c, Update, inParallel: false);
            return;
        }

        // A failed restart stops at its cluster: the later contexts keep their bundle and their pods.
        var stop = RunInClustersUntilOneGoesWrong(Clusters(), c => Streams.Of(Update(c)), _ => false, (_, _) => Array.Empty<DaprCertificateInfo>());
        if (stop.NotStarted.Count > 0)
        {
            WriteWarning($"Stopped after Update-DaprTrustBundle went wrong in context '{stop.StoppedIn!.Context}'; contexts not touched: {stop.NotStartedNames}. Fix the cause, then finish each with the same command and: {string.Join("; ", stop.NotStarted.Select(ClusterStop.Selecting))}.");
        }
    }

    private string? FileSystemPath(string? path) => path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
