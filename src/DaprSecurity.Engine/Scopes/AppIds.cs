using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// What an app-id may look like on Kubernetes: Dapr names a Service "&lt;app-id&gt;-dapr", so the app-id plus "-dapr"
/// must be a lowercase RFC 1123 label of at most 63 characters (dapr/dapr pkg/validation ValidateKubernetesAppID).
/// </summary>
internal static partial class AppIds
{
    public static bool IsValid(string appId) => appId.Length <= 63 - "-dapr".Length && Label().IsMatch(appId);

    /// <summary>Rejects app-ids no sidecar could ever have, before anything is written.</summary>
    public static void Validate(IEnumerable<string> appIds)
    {
        foreach (var appId in appIds)
        {
            if (!IsValid(appId))
            {
                throw DaprErrors.InvalidAppId.Raise($"'{appId}' is not a valid Dapr app-id on Kubernetes: use at most 58 lowercase letters, digits and '-', starting and ending with a letter or digit.",
                    appId);
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
