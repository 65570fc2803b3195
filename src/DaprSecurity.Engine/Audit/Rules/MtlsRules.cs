using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>
/// Test-DaprMtls's checks as rules: each rule is one named check of <see cref="MtlsChecks"/>, with the same logic
/// and detail. A check's warning fails its rule at Medium at most; a check that could not be made is an error.
/// </summary>
internal static class MtlsRules
{
    public static Func<AuditSnapshot, IEnumerable<RuleFinding>> Check(string name) => snapshot => Evaluate(snapshot, name);

    private static IEnumerable<RuleFinding> Evaluate(AuditSnapshot snapshot, string name)
    {
        var cluster = snapshot.Cluster!;
        var resource = ResourceOf(name, cluster.ControlPlaneNamespace ?? "");
        if (cluster.MtlsChecks?.FirstOrDefault(c => c.Name == name) is not { } check)
        {
            yield return RuleFinding.Fail(resource, $"Not checked: {cluster.MtlsError ?? "the mTLS checks could not run"}") with { IsError = true };
            yield break;
        }

        yield return check.Result switch
        {
            DaprCheckResult.Pass => RuleFinding.Pass(resource, check.Detail),
            DaprCheckResult.Warning when check.Detail.StartsWith(MtlsChecks.NotCheckedPrefix, StringComparison.Ordinal) => RuleFinding.Fail(resource, check.Detail) with { IsError = true },
            DaprCheckResult.Warning => RuleFinding.Fail(resource, check.Detail) with { Severity = DaprSeverity.Medium },
            _ => RuleFinding.Fail(resource, check.Detail),
        };
    }

    /// <summary>The object each check is about, so suppressions and baselines can name it.</summary>
    private static AuditResource ResourceOf(string check, string controlPlane) => check switch
    {
        "MtlsEnabled" or "WorkloadCertTtl" or "AllowedClockSkew" => new("Configuration", controlPlane, MtlsSettings.ConfigurationName),
        "SentryHealthy" => new("Deployment", controlPlane, "dapr-sentry"),
        "TrustBundleConfigMap" => new("ConfigMap", controlPlane, TrustBundleKeys.ObjectName),
        "TrustAnchorsCurrent" or "SidecarMtls" => new("Pod", "", "*"),
        _ => new("Secret", controlPlane, TrustBundleKeys.ObjectName),
    };
}
