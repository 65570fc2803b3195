using System.Globalization;
using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using k8s.Models;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// The checks of Test-DaprMtls, each a pure function of <see cref="MtlsEvidence"/>. Names are stable (scripts filter
/// on them); details say what is wrong, why it matters to Dapr and what to do.
/// </summary>
internal static partial class MtlsChecks
{
    private const int ListedPods = 10;

    /// <summary>How a check's detail starts when the check could not be made (missing permissions), not when it warns.</summary>
    public const string NotCheckedPrefix = "Not checked:";

    public static IReadOnlyList<DaprMtlsCheck> Run(MtlsEvidence evidence)
    {
        var bundle = evidence.Bundle;
        if (bundle.SecretError is { } unreadable)
        {
            return RunWithoutSecret(evidence, unreadable);
        }

        var roots = Parse(() => TrustBundle.ReadRoots(bundle.SecretText(TrustBundleKeys.RootCertificate), $"{bundle.SecretName} key {TrustBundleKeys.RootCertificate}"));
        var chain = Parse(() => TrustBundle.ReadIssuerChain(bundle.SecretText(TrustBundleKeys.IssuerCertificate), $"{bundle.SecretName} key {TrustBundleKeys.IssuerCertificate}"));
        return new[]
        {
            MtlsEnabled(evidence),
            WorkloadCertTtl(evidence.ControlPlane.Mtls),
            AllowedClockSkew(evidence.ControlPlane.Mtls),
            SentryHealthy(evidence),
            TrustBundleSecret(bundle),
            TrustBundleConfigMap(evidence),
            IssuerChain(roots, chain),
            IssuerKey(bundle, chain),
            Validity("RootValidity", "root", roots, evidence),
            Validity("IssuerValidity", "issuer", chain, evidence),
            TrustAnchorsCurrent(evidence, bundle.SecretText(TrustBundleKeys.RootCertificate), roots),
            SidecarMtls(evidence),
        };
    }

    /// <summary>
    /// For an identity that may not read the Secret: what needs issuer.crt or issuer.key is a warning that says so;
    /// the root comes from the ConfigMap, which Sentry keeps byte-identical to the Secret's ca.crt.
    /// </summary>
    private static IReadOnlyList<DaprMtlsCheck> RunWithoutSecret(MtlsEvidence evidence, string unreadable)
    {
        var bundle = evidence.Bundle;
        var roots = Parse(() => TrustBundle.ReadRoots(bundle.ConfigMapRoot, $"{bundle.ConfigMapName} key {TrustBundleKeys.RootCertificate}"));
        DaprMtlsCheck NotChecked(string name) => Check(name, DaprCheckResult.Warning, $"{NotCheckedPrefix} the {bundle.SecretName} could not be read ({unreadable}). Allow this identity to get that secret to check the issuer too.");
        return new[]
        {
            MtlsEnabled(evidence),
            WorkloadCertTtl(evidence.ControlPlane.Mtls),
            AllowedClockSkew(evidence.ControlPlane.Mtls),
            SentryHealthy(evidence),
            NotChecked("TrustBundleSecret"),
            bundle.ConfigMapRoot is null ? TrustBundleConfigMap(evidence) : NotChecked("TrustBundleConfigMap"),
            NotChecked("IssuerChain"),
            NotChecked("IssuerKey"),
            Validity("RootValidity", "root", roots, evidence),
            NotChecked("IssuerValidity"),
            TrustAnchorsCurrent(evidence, bundle.ConfigMapRoot, roots),
            SidecarMtls(evidence),
        };
    }

    /// <summary>
    /// The validity of each certificate against <paramref name="now"/>; the worst one (then the soonest to expire)
    /// decides. <c>Fact</c> states it; <c>Advice</c> says what it means for Dapr and what to do.
    /// </summary>
    public static (DaprCheckResult Result, string Fact, string Advice) Validity(IReadOnlyList<X509Certificate> certificates, string role, DateTime now, int warningDays)
    {
        var worst = certificates
            .Select(c => (Certificate: c, Validity: Validity(c, role, now, warningDays)))
            .OrderByDescending(v => v.Validity.Result)
            .ThenBy(v => CertificateInspector.NotAfter(v.Certificate))
            .First().Validity;
        return certificates.Count > 1 ? worst with { Fact = $"{worst.Fact} (the worst of {certificates.Count} certificates)" } : worst;
    }

    private static DaprMtlsCheck MtlsEnabled(MtlsEvidence evidence)
    {
        var mtls = evidence.ControlPlane.Mtls;
        var configuration = $"Configuration {evidence.ControlPlane.Namespace}/{MtlsSettings.ConfigurationName}";
        return mtls switch
        {
            { ConfigurationFound: false } => Check("MtlsEnabled", DaprCheckResult.Warning, $"There is no {configuration}. Every Dapr install creates it, so this namespace may not hold the whole control plane, or the install is incomplete. The injector then enables mTLS by default, but nothing in the cluster records that choice: reinstall the Configuration (Helm chart or dapr init -k)."),
            { Enabled: false } => Check("MtlsEnabled", DaprCheckResult.Fail, $"mTLS is disabled in {configuration} (spec.mtls.enabled: false): sidecars call each other in plain text and cannot prove their identity. Sidecars still need valid certificates to reach the control plane, so expiry still breaks them."),
            { Enabled: null } => Check("MtlsEnabled", DaprCheckResult.Pass, $"spec.mtls.enabled is not set in {configuration}; Dapr's default is enabled."),
            _ => Check("MtlsEnabled", DaprCheckResult.Pass, $"mTLS is enabled in {configuration}."),
        };
    }

    private static DaprMtlsCheck WorkloadCertTtl(MtlsSettings mtls)
    {
        const string name = "WorkloadCertTtl";
        if (mtls.WorkloadCertTtl is null)
        {
            return Check(name, DaprCheckResult.Pass, $"Not set; Sentry issues workload certificates for {Format(MtlsSettings.DefaultWorkloadCertTtl)} (the default).");
        }

        if (!GoDuration.TryParse(mtls.WorkloadCertTtl, out var ttl) || ttl <= TimeSpan.Zero)
        {
            return Check(name, DaprCheckResult.Fail, $"workloadCertTTL '{mtls.WorkloadCertTtl}' is not a positive Go duration such as 24h; Sentry fails to start with it.");
        }

        return ttl switch
        {
            _ when ttl < TimeSpan.FromMinutes(10) => Check(name, DaprCheckResult.Warning, $"workloadCertTTL {Format(ttl)} is very short: every sidecar renews at half of it, loading Sentry and failing fast whenever Sentry is briefly down."),
            _ when ttl > TimeSpan.FromDays(7) => Check(name, DaprCheckResult.Warning, $"workloadCertTTL {Format(ttl)} is long: a leaked workload certificate stays usable that long. Dapr's default is 24h."),
            _ => Check(name, DaprCheckResult.Pass, $"Workload certificates are valid for {Format(ttl)}."),
        };
    }

    private static DaprMtlsCheck AllowedClockSkew(MtlsSettings mtls)
    {
        const string name = "AllowedClockSkew";
        if (mtls.AllowedClockSkew is null)
        {
            return Check(name, DaprCheckResult.Pass, $"Not set; the default {Format(MtlsSettings.DefaultClockSkew)} applies.");
        }

        if (!GoDuration.TryParse(mtls.AllowedClockSkew, out var skew) || skew < TimeSpan.Zero)
        {
            return Check(name, DaprCheckResult.Fail, $"allowedClockSkew '{mtls.AllowedClockSkew}' is not a Go duration such as 15m; Sentry fails to start with it.");
        }

        return skew > TimeSpan.FromHours(1)
            ? Check(name, DaprCheckResult.Warning, $"allowedClockSkew {Format(skew)} is large: certificates are back-dated by it. Fix the clocks (NTP) rather than widening the skew; the default is 15m.")
            : Check(name, DaprCheckResult.Pass, $"Allowed clock skew is {Format(skew)}.");
    }

    private static DaprMtlsCheck SentryHealthy(MtlsEvidence evidence) => evidence.Sentry switch
    {
        null => Check("SentryHealthy", DaprCheckResult.Fail, $"No Sentry deployment (label app=dapr-sentry) in {evidence.ControlPlane.Namespace}: no sidecar can get a certificate."),
        { Healthy: false } sentry => Check("SentryHealthy", DaprCheckResult.Fail, $"Sentry {sentry.Namespace}/{sentry.Name} is not healthy: {sentry.Status}, {sentry.ReadyReplicas}/{sentry.DesiredReplicas} ready. Sidecars cannot renew their certificates."),
        var sentry => Check("SentryHealthy", DaprCheckResult.Pass, $"Sentry {sentry.Namespace}/{sentry.Name} is running, {sentry.ReadyReplicas}/{sentry.DesiredReplicas} ready, version {sentry.Version}."),
    };

    private static DaprMtlsCheck TrustBundleSecret(StoredTrustBundle bundle)
    {
        if (bundle.Secret is null)
        {
            return Check("TrustBundleSecret", DaprCheckResult.Fail, $"The {bundle.SecretName} does not exist: Sentry generates a new self-signed CA when it next starts, and every running sidecar must then be restarted.");
        }

        var missing = new[] { TrustBundleKeys.RootCertificate, TrustBundleKeys.IssuerCertificate, TrustBundleKeys.IssuerKey }.Where(k => bundle.SecretText(k) is null).ToList();
        return missing.Count == 0
            ? Check("TrustBundleSecret", DaprCheckResult.Pass, $"The {bundle.SecretName} holds ca.crt, issuer.crt and issuer.key.")
            : Check("TrustBundleSecret", DaprCheckResult.Fail, $"The {bundle.SecretName} lacks {string.Join(", ", missing)}: at its next restart Sentry silently generates a new CA, and sidecars injected before then stop trusting the new certificates.");
    }

    private static DaprMtlsCheck TrustBundleConfigMap(MtlsEvidence evidence)
    {
        var bundle = evidence.Bundle;
        if (bundle.ConfigMap is null && IsBefore112(evidence.Sentry?.Version))
        {
            return Check("TrustBundleConfigMap", DaprCheckResult.Pass, $"Dapr {evidence.Sentry!.Version} does not use the ConfigMap (added in 1.12).");
        }

        if (bundle.ConfigMapRoot is null)
        {
            return Check("TrustBundleConfigMap", DaprCheckResult.Fail, $"The {bundle.ConfigMapName} {(bundle.ConfigMap is null ? "does not exist" : "has no ca.crt")}: Sentry (1.12+) generates a new CA at its next restart, and the injector, operator, placement and scheduler read their trust anchors from it.");
        }

        return bundle.RootsInSync
            ? Check("TrustBundleConfigMap", DaprCheckResult.Pass, $"The {bundle.ConfigMapName} ca.crt is identical to the Secret's.")
            : Check("TrustBundleConfigMap", DaprCheckResult.Fail, $"The {bundle.ConfigMapName} ca.crt differs from the Secret's: at its next restart Sentry silently generates a new CA and overwrites both, and every sidecar injected before then stops trusting the new certificates. Write both with the same ca.crt (Update-DaprTrustBundle does).");
    }

    private static DaprMtlsCheck IssuerChain(Parsed<IReadOnlyList<X509Certificate>> roots, Parsed<IReadOnlyList<X509Certificate>> chain)
    {
        if ((roots.Error ?? chain.Error) is { } error)
        {
            return Check("IssuerChain", DaprCheckResult.Fail, error);
        }

        var problem = TrustBundle.RootProblem(roots.Value!) ?? TrustBundle.ChainProblem(roots.Value!, chain.Value!);
        return problem is null
            ? Check("IssuerChain", DaprCheckResult.Pass, $"The issuer {TrustBundle.Name(chain.Value![0])} chains to the root (signatures verified).")
            : Check("IssuerChain", DaprCheckResult.Fail, problem + " Sentry refuses to start with this bundle.");
    }

    private static DaprMtlsCheck IssuerKey(StoredTrustBundle bundle, Parsed<IReadOnlyList<X509Certificate>> chain)
    {
        var key = Parse(() => TrustBundle.ReadIssuerKey(bundle.SecretText(TrustBundleKeys.IssuerKey), $"{bundle.SecretName} key {TrustBundleKeys.IssuerKey}"));
        if ((key.Error ?? chain.Error) is { } error)
        {
            return Check("IssuerKey", DaprCheckResult.Fail, error);
        }

        var problem = TrustBundle.KeyProblem(chain.Value!, key.Value!);
        return problem is null
            ? Check("IssuerKey", DaprCheckResult.Pass, "issuer.key is the issuer certificate's private key.")
            : Check("IssuerKey", DaprCheckResult.Fail, problem + " Sentry refuses to start with this bundle.");
    }

    private static DaprMtlsCheck Validity(string name, string role, Parsed<IReadOnlyList<X509Certificate>> certificates, MtlsEvidence evidence)
    {
        if (certificates.Error is { } error)
        {
            return Check(name, DaprCheckResult.Fail, error);
        }

        var (result, fact, advice) = Validity(certificates.Value!, role, evidence.Now, evidence.WarningDays);
        return Check(name, result, $"{fact} {advice}".TrimEnd());
    }

    private static (DaprCheckResult Result, string Fact, string Advice) Validity(X509Certificate certificate, string role, DateTime now, int warningDays)
    {
        var name = $"The {role} {TrustBundle.Name(certificate)}";
        var notBefore = CertificateInspector.NotBefore(certificate);
        var notAfter = CertificateInspector.NotAfter(certificate);
        var days = CertificateInspector.DaysUntilExpiry(certificate, now);
        if (now < notBefore)
        {
            return (DaprCheckResult.Fail, $"{name} is not valid yet: it starts on {notBefore:u}.", "Check the clocks of the machine that made it and of the cluster.");
        }

        if (now >= notAfter)
        {
            var ago = (int)Math.Floor((now - notAfter).TotalDays);
            return (DaprCheckResult.Fail, $"{name} expired on {notAfter:u} ({(ago == 0 ? "today" : ago + " days ago")}).", "Sidecars cannot get or verify certificates; renew with Update-DaprTrustBundle -Restart.");
        }

        return days < warningDays
            ? (DaprCheckResult.Warning, $"{name} expires in {days} days, on {notAfter:u}.", "Renew it before then with Update-DaprTrustBundle -Restart.")
            : (DaprCheckResult.Pass, $"{name} is valid for {days} more days, until {notAfter:u}.", "");
    }

    /// <param name="current">The current ca.crt text (the Secret's, or the ConfigMap's when the Secret cannot be read).</param>
    private static DaprMtlsCheck TrustAnchorsCurrent(MtlsEvidence evidence, string? current, Parsed<IReadOnlyList<X509Certificate>> roots)
    {
        if (evidence.DaprPods is null)
        {
            return PodsUnavailable("TrustAnchorsCurrent", evidence);
        }

        var sidecars = RunningSidecars(evidence).Select(s => (s.Name, s.Sidecar.TrustAnchors)).Where(s => s.TrustAnchors is not null).ToList();
        if (current is null || roots.Error is not null)
        {
            return Check("TrustAnchorsCurrent", DaprCheckResult.Fail, "Cannot compare the sidecars' trust anchors: the current ca.crt is missing or unreadable.");
        }

        var stale = sidecars.Where(s => !DaprSidecar.SameAnchors(s.TrustAnchors!, roots.Value!)).Select(s => s.Name).ToList();
        return stale.Count == 0
            ? Check("TrustAnchorsCurrent", DaprCheckResult.Pass, sidecars.Count == 0 ? "No running Dapr sidecar to compare." : $"All {sidecars.Count} running Dapr sidecars trust the current ca.crt.")
            : Check("TrustAnchorsCurrent", DaprCheckResult.Fail, $"{stale.Count} of {sidecars.Count} running Dapr pods were injected with other trust anchors than the current ca.crt and cannot verify certificates from the current issuer: {List(stale)}. Restart them (Update-DaprTrustBundle -Restart restarts every Dapr workload in order).");
    }

    private static DaprMtlsCheck SidecarMtls(MtlsEvidence evidence)
    {
        if (evidence.DaprPods is null)
        {
            return PodsUnavailable("SidecarMtls", evidence);
        }

        var sidecars = RunningSidecars(evidence).ToList();
        var plain = sidecars.Where(s => !s.Sidecar.MtlsEnabled).Select(s => s.Name).ToList();
        return plain.Count == 0
            ? Check("SidecarMtls", DaprCheckResult.Pass, sidecars.Count == 0 ? "No running Dapr sidecar." : $"All {sidecars.Count} running Dapr sidecars have --enable-mtls.")
            : Check("SidecarMtls", DaprCheckResult.Warning, $"{plain.Count} of {sidecars.Count} running Dapr pods run daprd without --enable-mtls (injected while mTLS was disabled): {List(plain)}. Restart them after enabling mTLS.");
    }

    private static IEnumerable<(string Name, DaprSidecar Sidecar)> RunningSidecars(MtlsEvidence evidence)
        => (evidence.DaprPods ?? Array.Empty<V1Pod>())
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .Select(p => (Name: $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}", Sidecar: DaprSidecar.Find(p)))
            .Where(s => s.Sidecar is not null)
            .Select(s => (s.Name, s.Sidecar!))
            .OrderBy(s => s.Name, StringComparer.Ordinal);

    private static DaprMtlsCheck PodsUnavailable(string name, MtlsEvidence evidence)
        => Check(name, DaprCheckResult.Warning, $"{NotCheckedPrefix} the Dapr pods could not be listed ({evidence.DaprPodsError}).");

    private static string List(IReadOnlyList<string> names)
        => string.Join(", ", names.Take(ListedPods)) + (names.Count > ListedPods ? $" and {names.Count - ListedPods} more" : "");

    /// <summary>True for an image tag such as "1.11.3" or "v1.11.0-mariner"; an unreadable tag counts as current.</summary>
    private static bool IsBefore112(string? version)
        => version is not null && VersionPattern().Match(version) is { Success: true } match
            && new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)) < new Version(1, 12);

    /// <summary>As Go prints durations in Dapr's settings: whole hours as "24h", whole minutes as "15m".</summary>
    private static string Format(TimeSpan duration) => duration switch
    {
        _ when duration.Ticks % TimeSpan.TicksPerHour == 0 => $"{(long)duration.TotalHours}h",
        _ when duration.Ticks % TimeSpan.TicksPerMinute == 0 => $"{(long)duration.TotalMinutes}m",
        _ => $"{duration.TotalSeconds:0.###}s",
    };

    private static DaprMtlsCheck Check(string name, DaprCheckResult result, string detail) => new() { Name = name, Result = result, Detail = detail };

    private static Parsed<T> Parse<T>(Func<T> parse)
    {
        try
        {
            return new Parsed<T>(parse(), null);
        }
        catch (DaprSecurityException e)
        {
            return new Parsed<T>(default, e.Message);
        }
    }

    [GeneratedRegex(@"^v?(\d{1,5})\.(\d{1,5})")]
    private static partial Regex VersionPattern();

    private sealed record Parsed<T>(T? Value, string? Error);
}
