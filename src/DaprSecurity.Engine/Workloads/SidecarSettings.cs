using System.Net;
using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Workloads;

/// <summary>Checks Set-DaprSidecarAnnotation's values before any workload is read or written (an empty value removes the annotation).</summary>
internal static partial class SidecarSettings
{
    public static void Validate(SidecarAnnotationRequest request)
    {
        if (!string.IsNullOrEmpty(request.ListenAddresses))
        {
            foreach (var address in request.ListenAddresses.Split(','))
            {
                var trimmed = address.Trim();
                if (trimmed != "localhost" && !IPAddress.TryParse(trimmed, out _))
                {
                    throw DaprErrors.ListenAddressInvalid.Raise(
                        $"-ListenAddresses '{request.ListenAddresses}': '{trimmed}' is neither an IP address nor localhost; nothing was changed.",
                        request.ListenAddresses,
                        recommendedAction: "Give IP addresses or localhost, separated by commas, for example '127.0.0.1,::1'.");
                }
            }
        }

        foreach (var (parameter, name) in new[] { ("-AppTokenSecret", request.AppTokenSecret), ("-ApiTokenSecret", request.ApiTokenSecret) })
        {
            if (!string.IsNullOrEmpty(name) && (name.Length > 253 || !SecretName().IsMatch(name)))
            {
                throw DaprErrors.SecretNameInvalid.Raise(
                    $"{parameter} '{name}' is not a Kubernetes Secret name (lower-case letters, digits, '-' and '.', at most 253 characters); nothing was changed.",
                    name);
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
