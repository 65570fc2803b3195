using System.Text.Json;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// spec.mtls of the daprsystem Configuration (pkg/apis/configuration/v1alpha1 MTLSSpec), as written; absent
/// fields take Dapr's defaults: enabled, 24h workload certificates, 15m clock skew, trust domain cluster.local.
/// </summary>
internal sealed record MtlsSettings(bool ConfigurationFound, bool? Enabled, string? WorkloadCertTtl, string? AllowedClockSkew, string? ControlPlaneTrustDomain)
{
    public const string ConfigurationName = "daprsystem";
    public const string DefaultTrustDomain = "cluster.local";
    public static readonly TimeSpan DefaultWorkloadCertTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(15);

    public static MtlsSettings Missing { get; } = new(false, null, null, null, null);

    /// <summary>The control-plane trust domain that Sentry puts in its issuer's SPIFFE ID.</summary>
    public string TrustDomain => string.IsNullOrWhiteSpace(ControlPlaneTrustDomain) ? DefaultTrustDomain : ControlPlaneTrustDomain;

    /// <summary>The allowed clock skew, or the default when absent or unreadable (the check reports unreadable values).</summary>
    public TimeSpan ClockSkew => GoDuration.TryParse(AllowedClockSkew, out var skew) && skew >= TimeSpan.Zero ? skew : DefaultClockSkew;

    public static MtlsSettings From(JsonElement configuration)
    {
        if (!configuration.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object
            || !spec.TryGetProperty("mtls", out var mtls) || mtls.ValueKind != JsonValueKind.Object)
        {
            return Missing with { ConfigurationFound = true };
        }

        return new MtlsSettings(
            true,
            mtls.TryGetProperty("enabled", out var enabled) ? ReadBool(enabled) : null,
            ReadString(mtls, "workloadCertTTL"),
            ReadString(mtls, "allowedClockSkew"),
            ReadString(mtls, "controlPlaneTrustDomain"));
    }

    private static bool? ReadBool(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => null,
    };

    private static string? ReadString(JsonElement mtls, string name)
        => mtls.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
