using DaprSecurity.Abstractions;
using DaprSecurity.Validation;

namespace DaprSecurity.Engine.Workloads;

/// <summary>Checks Set-DaprSidecarAnnotation's values before any workload is read or written (an empty value removes the annotation).</summary>
internal static class SidecarSettings
{
    public static void Validate(SidecarAnnotationRequest request)
    {
        InputRules.ListenAddresses(request.ListenAddresses);
        InputRules.SecretName("-AppTokenSecret", request.AppTokenSecret);
        InputRules.SecretName("-ApiTokenSecret", request.ApiTokenSecret);
    }
}
