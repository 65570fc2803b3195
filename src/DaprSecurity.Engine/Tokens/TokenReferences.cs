using DaprSecurity.Engine.Workloads;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>Which token secrets a workload's pod template names (dapr.io/app-token-secret, dapr.io/api-token-secret).</summary>
public static class TokenReferences
{
    public static IEnumerable<(string Secret, DaprTokenKind Kind)> Of(Workload workload)
    {
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
