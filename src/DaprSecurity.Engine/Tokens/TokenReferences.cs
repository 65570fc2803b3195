using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Which token secrets a workload's pod template names (dapr.io/app-token-secret, dapr.io/api-token-secret) for its
/// sidecar. Only a Dapr-enabled workload has one (dapr.io/enabled as Dapr reads it: "yes please" injects nothing), so
/// the annotations of any other name no secret that anything uses: it is no consumer, and no secret dangles for it.
/// </summary>
public static class TokenReferences
{
    public static IEnumerable<(string Secret, DaprTokenKind Kind)> Of(Workload workload)
    {
        if (!workload.IsDaprEnabled)
        {
            yield break;
        }

        if (!string.IsNullOrEmpty(workload.AppTokenSecret))
        {
            yield return (workload.AppTokenSecret, DaprTokenKind.App);
        }

        if (!string.IsNullOrEmpty(workload.ApiTokenSecret))
        {
            yield return (workload.ApiTokenSecret, DaprTokenKind.Api);
        }
    }

    public static bool Uses(Workload workload, string secretName) => Of(workload).Any(r => r.Secret == secretName);
}
