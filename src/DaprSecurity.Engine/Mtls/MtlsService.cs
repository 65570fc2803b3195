using DaprSecurity.Abstractions;
using DaprSecurity.Engine.DevOps;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>The engine behind the mTLS cmdlets; each operation lives in its own class, this one wires them to the cluster.</summary>
public sealed class MtlsService : IMtlsService
{
    /// <inheritdoc />
    public IReadOnlyList<DaprCertificateInfo> ReadCertificateFile(string path, IEngineHost host) => CertificateFiles.Read(path, host.Clock.GetUtcNow().UtcDateTime);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DaprControlPlaneComponent>> GetControlPlaneAsync(IClusterConnection connection, string? controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var controlPlane = await new ControlPlaneLocator(cluster).LocateAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        host.WriteVerbose($"Dapr control plane in namespace {controlPlane.Namespace}.");
        var now = host.Clock.GetUtcNow().UtcDateTime;
        var services = await new ControlPlaneServices(cluster).ReadAsync(controlPlane.Namespace, cancellationToken).ConfigureAwait(false);
        return ControlPlaneStatus.DescribeAll(services, controlPlane.Namespace, now);
    }

    /// <inheritdoc />
    public async Task<DaprMtlsReport> TestAsync(IClusterConnection connection, string? controlPlaneNamespace, int warningDays, IEngineHost host, CancellationToken cancellationToken)
        => (await TestWithBundleAsync(connection, controlPlaneNamespace, warningDays, listSidecarPods: true, host, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>
    /// The mTLS checks, the trust bundle and the evidence they read, so the audit describes its certificates without
    /// reading the bundle again. The audit passes <paramref name="listSidecarPods"/> false: it lists every pod anyway
    /// and makes the two sidecar checks (TrustAnchorsCurrent, SidecarMtls) from that list, so the other checks
    /// need not wait for a list of every Dapr pod.
    /// </summary>
    internal static async Task<(DaprMtlsReport Report, StoredTrustBundle Bundle, MtlsEvidence Evidence)> TestWithBundleAsync(IClusterConnection connection, string? controlPlaneNamespace, int warningDays, bool listSidecarPods, IEngineHost host, CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var controlPlane = await new ControlPlaneLocator(cluster).LocateAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        host.WriteVerbose($"Dapr control plane in namespace {controlPlane.Namespace}.");

        // Read together; WhenAll observes every read, so a failure of one leaves no other task unobserved.
        var services = new ControlPlaneServices(cluster).ReadAsync(controlPlane.Namespace, cancellationToken);
        var bundle = new TrustBundleStore(cluster).ReadForChecksAsync(controlPlane.Namespace, cancellationToken);
        var pods = listSidecarPods ? ListDaprPodsAsync(cluster, cancellationToken) : Task.FromResult<(IReadOnlyList<V1Pod>? Pods, string? Error)>((null, "not listed yet"));
        await Task.WhenAll(services, bundle, pods).ConfigureAwait(false);

        var now = host.Clock.GetUtcNow().UtcDateTime;
        var sentry = services.Result.FirstOrDefault(s => s.Role == DaprControlPlaneRole.Sentry);
        var evidence = new MtlsEvidence(controlPlane, sentry is null ? null : ControlPlaneStatus.Describe(sentry, now), bundle.Result, pods.Result.Pods, now, warningDays) { DaprPodsError = pods.Result.Error };
        var checks = MtlsChecks.Run(evidence);
        Report(checks, host);
        var report = new DaprMtlsReport
        {
            Context = connection.ContextName,
            Namespace = controlPlane.Namespace,
            Verdict = checks.Max(c => c.Result),
            Checks = checks.ToArray(),
            CheckedAt = now,
        };
        return (report, bundle.Result, evidence);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DaprCertificateInfo>> GetCertificatesAsync(IClusterConnection connection, string? controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken)
    {
        var (controlPlane, stored) = await ReadBundleAsync(ClusterConnection.From(connection), controlPlaneNamespace, host, cancellationToken).ConfigureAwait(false);
        if (stored.ConfigMapRoot is not null && !stored.RootsInSync)
        {
            host.WriteWarning($"The {stored.ConfigMapName} ca.crt differs from the Secret's; Sentry will replace the whole CA at its next restart. Run Test-DaprMtls for details.");
        }

        return Certificates(stored, controlPlane.Namespace, host.Clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>The root and issuer certificates of a trust bundle read with its Secret.</summary>
    internal static IReadOnlyList<DaprCertificateInfo> Certificates(StoredTrustBundle stored, string controlPlaneNamespace, DateTime now)
    {
        var roots = TrustBundle.ReadRoots(stored.SecretText(TrustBundleKeys.RootCertificate), $"{stored.SecretName} key {TrustBundleKeys.RootCertificate}");
        var chain = TrustBundle.ReadIssuerChain(stored.SecretText(TrustBundleKeys.IssuerCertificate), $"{stored.SecretName} key {TrustBundleKeys.IssuerCertificate}");
        return CertificateInspector.DescribeBundle(roots, stored.SecretName, chain, stored.SecretName, controlPlaneNamespace, now).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DaprCertificateInfo>> ExportAsync(IClusterConnection connection, TrustBundleExportRequest request, IEngineHost host, CancellationToken cancellationToken)
    {
        var (_, stored) = await ReadBundleAsync(ClusterConnection.From(connection), request.ControlPlaneNamespace, host, cancellationToken).ConfigureAwait(false);
        return TrustBundleExporter.Export(stored, request, host);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DaprCertificateInfo>> UpdateTrustBundleAsync(IClusterConnection connection, TrustBundleUpdateRequest request, IEngineHost host, CancellationToken cancellationToken)
    {
        var cluster = ClusterConnection.From(connection);
        var (controlPlane, stored) = await ReadBundleAsync(cluster, request.ControlPlaneNamespace, host, cancellationToken).ConfigureAwait(false);
        return await new TrustBundleRenewal(cluster).RunAsync(controlPlane, stored, request, host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verbose lines for every check; in Azure Pipelines also one logged issue per warning and failure.</summary>
    private static void Report(IEnumerable<DaprMtlsCheck> checks, IEngineHost host)
    {
        var azurePipelines = AzurePipelines.IsActive;
        foreach (var check in checks)
        {
            host.WriteVerbose($"{check.Name}: {check.Result}. {check.Detail}");
            if (azurePipelines && check.Result != DaprCheckResult.Pass)
            {
                host.WriteHostLine(AzurePipelines.LogIssue(check.Result == DaprCheckResult.Fail, $"Dapr mTLS {check.Name}: {check.Detail}", "DaprMtls." + check.Name));
            }
        }
    }

    /// <summary>The control plane and its existing trust bundle (a missing Secret is an error).</summary>
    private static async Task<(DaprControlPlane ControlPlane, StoredTrustBundle Stored)> ReadBundleAsync(ClusterConnection cluster, string? controlPlaneNamespace, IEngineHost host, CancellationToken cancellationToken)
    {
        var controlPlane = await new ControlPlaneLocator(cluster).LocateAsync(controlPlaneNamespace, cancellationToken).ConfigureAwait(false);
        host.WriteVerbose($"Dapr control plane in namespace {controlPlane.Namespace}.");
        return (controlPlane, await new TrustBundleStore(cluster).ReadExistingAsync(controlPlane.Namespace, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Pods are optional evidence: without permission to list them cluster-wide, the pod checks say so instead of failing the run.</summary>
    private static async Task<(IReadOnlyList<V1Pod>? Pods, string? Error)> ListDaprPodsAsync(ClusterConnection cluster, CancellationToken cancellationToken)
    {
        try
        {
            return (await new WorkloadCatalog(cluster).ListDaprPodsAsync(null, cancellationToken).ConfigureAwait(false), null);
        }
        catch (DaprSecurityException e) when (e.Is(DaprErrors.KubeApiForbidden))
        {
            return (null, e.Message);
        }
    }
}
