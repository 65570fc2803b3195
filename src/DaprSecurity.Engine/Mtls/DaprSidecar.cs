using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;
using k8s.Models;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// What the injector baked into a pod's daprd container: the trust anchors (env DAPR_TRUST_ANCHORS, the ConfigMap's
/// ca.crt at injection time) and whether mTLS was on (--enable-mtls in the arguments).
/// </summary>
internal sealed partial record DaprSidecar(string? TrustAnchors, bool MtlsEnabled)
{
    private const string ContainerName = "daprd";
    private const string TrustAnchorsVariable = "DAPR_TRUST_ANCHORS";

    /// <summary>The pod's daprd container (a regular or, with native sidecars, an init container), or null.</summary>
    public static DaprSidecar? Find(V1Pod pod)
    {
        var daprd = (pod.Spec?.Containers ?? Enumerable.Empty<V1Container>())
            .Concat(pod.Spec?.InitContainers ?? Enumerable.Empty<V1Container>())
            .FirstOrDefault(c => c.Name == ContainerName);
        if (daprd is null)
        {
            return null;
        }

        var anchors = daprd.Env?.FirstOrDefault(e => e.Name == TrustAnchorsVariable)?.Value;
        var arguments = (daprd.Command ?? Enumerable.Empty<string>()).Concat(daprd.Args ?? Enumerable.Empty<string>());
        return new DaprSidecar(anchors, arguments.Any(IsMtlsOn));
    }

    /// <summary>True when <paramref name="anchors"/> holds exactly the certificates of <paramref name="roots"/> (whatever the PEM layout).</summary>
    public static bool SameAnchors(string anchors, IReadOnlyList<X509Certificate> roots)
    {
        try
        {
            var baked = Pem.ReadCertificates(anchors, TrustAnchorsVariable).Select(CertificateInspector.Thumbprint).ToHashSet();
            return baked.SetEquals(roots.Select(CertificateInspector.Thumbprint));
        }
        catch (DaprSecurityException)
        {
            return false;
        }
    }

    // Go's flag package: "--enable-mtls" or "-enable-mtls", optionally "=<bool>" in strconv.ParseBool's spellings.
    private static bool IsMtlsOn(string argument)
        => MtlsFlagPattern().Match(argument) is { Success: true } match
            && (!match.Groups["value"].Success || match.Groups["value"].Value is "1" or "t" or "T" or "true" or "TRUE" or "True");

    [GeneratedRegex("^--?enable-mtls(?:=(?<value>.*))?$")]
    private static partial Regex MtlsFlagPattern();
}
