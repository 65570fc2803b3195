using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Mtls;
using DaprSecurity.Output;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>Dapr versions against the security fixes of <see cref="Advisories"/>.</summary>
internal static class VersionRules
{
    private const string OidcCondition = "sentry-oidc";

    /// <summary>DAPR-VER-001: control-plane services (image tag) and sidecars (dapr.io/sidecar-image, or the running daprd).</summary>
    public static IEnumerable<RuleFinding> SecurityFloor(AuditSnapshot snapshot)
    {
        var advisories = Advisories.All.Where(a => a.Condition is null).ToList();
        foreach (var (workload, _) in DaprApps.ControlPlane(snapshot))
        {
            if (ImageOf(workload.Spec, workload.Workload!.Name) is { } image && Finding(workload, image.Tag, image.Path, "runs", advisories) is { } finding)
            {
                yield return finding;
            }
        }

        foreach (var app in DaprApps.Of(snapshot))
        {
            var pinned = app.Annotation(DaprAnnotations.SidecarImage);
            var running = app.Pods.Select(p => DaprdImage(p.Spec)).FirstOrDefault(i => i is not null);
            var tag = pinned is not null ? Tag(pinned) : running is not null ? Tag(running) : null;
            var at = pinned is not null ? app.AnnotationPath(DaprAnnotations.SidecarImage) : app.AnnotationsPath;
            if (Finding(app, tag, at, "runs daprd", advisories) is { } finding)
            {
                yield return finding;
            }
        }
    }

    /// <summary>DAPR-VER-002: a Sentry serving OIDC discovery without a pinned issuer or allowed hosts, on a version without the fix.</summary>
    public static IEnumerable<RuleFinding> SentryOidc(AuditSnapshot snapshot)
    {
        var advisories = Advisories.All.Where(a => a.Condition == OidcCondition).ToList();
        foreach (var (sentry, _) in DaprApps.ControlPlane(snapshot).Where(c => c.Role == DaprControlPlaneRole.Sentry))
        {
            var container = (sentry.Spec.Containers ?? new List<V1Container>()).FirstOrDefault();
            var arguments = (container?.Command ?? new List<string>()).Concat(container?.Args ?? new List<string>()).ToList();
            var oidc = Flag(arguments, "oidc-enabled") && Flag(arguments, "jwt-enabled");
            var guarded = Has(arguments, "jwt-issuer") || Has(arguments, "oidc-allowed-hosts");
            if (!oidc || guarded)
            {
                yield return RuleFinding.Pass(sentry.Resource, oidc ? "Sentry serves OIDC discovery with a pinned --jwt-issuer or --oidc-allowed-hosts." : "Sentry does not serve OIDC discovery (--oidc-enabled and --jwt-enabled are not both set).");
                continue;
            }

            var image = ImageOf(sentry.Spec, sentry.Workload!.Name);
            if (Finding(sentry, image?.Tag, image?.Path, "serves OIDC discovery without --jwt-issuer or --oidc-allowed-hosts and runs", advisories) is { } finding)
            {
                yield return finding;
            }
        }
    }

    private static RuleFinding? Finding(AuditWorkload workload, string? tag, IReadOnlyList<string>? at, string verb, IReadOnlyList<Advisory> advisories)
    {
        if (Advisories.ParseTag(tag) is not { } version)
        {
            return null;
        }

        var affecting = advisories.Where(a => a.Affects(version)).ToList();
        return affecting.Count == 0
            ? RuleFinding.Pass(workload.Resource, $"{workload.Resource.Name} {verb} Dapr {version}, which has every listed security fix.", at)
            : RuleFinding.Fail(workload.Resource, $"{workload.Resource.Name} {verb} Dapr {version}, which lacks: {string.Join("; ", affecting.Select(a => a.Describe()))}.", at);
    }

    private static (string Tag, IReadOnlyList<string> Path)? ImageOf(V1PodSpec spec, string name)
    {
        var containers = (spec.Containers ?? new List<V1Container>()).ToList();
        var index = containers.FindIndex(c => c.Name == name);
        index = index < 0 && containers.Count > 0 ? 0 : index;
        return index < 0 || Tag(containers[index].Image) is not { } tag ? null : (tag, new[] { "spec", "template", "spec", "containers", $"[{index}]", "image" });
    }

    private static string? DaprdImage(V1PodSpec? spec)
        => (spec?.Containers ?? new List<V1Container>()).Concat(spec?.InitContainers ?? new List<V1Container>()).FirstOrDefault(c => c.Name == "daprd")?.Image;

    /// <summary>The tag of an image reference ("ghcr.io/dapr/daprd:1.17.3" gives "1.17.3"), as ControlPlaneStatus reads it.</summary>
    private static string? Tag(string? image)
    {
        var reference = (image ?? "").Split('@')[0];
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[(colon + 1)..] : null;
    }

    private static bool Flag(IEnumerable<string> arguments, string name)
        => arguments.Any(a => a == $"--{name}" || a == $"-{name}" || a.Equals($"--{name}=true", StringComparison.OrdinalIgnoreCase) || a.Equals($"-{name}=true", StringComparison.OrdinalIgnoreCase));

    private static bool Has(IEnumerable<string> arguments, string name)
        => arguments.Any(a => a.StartsWith($"--{name}", StringComparison.Ordinal) || a.StartsWith($"-{name}", StringComparison.Ordinal));
}
