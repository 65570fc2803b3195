namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// Lets a test make a rollout go wrong: put <c>test.daprsecurity.io/rollout: fail</c> or <c>hang</c> on a pod template.
/// <c>fail</c>: pods crash-loop and a Deployment reports Progressing=False, ProgressDeadlineExceeded (kubectl rollout status exits 1).
/// <c>hang</c>: pods stay in ContainerCreating, so the rollout never completes.
/// </summary>
public static class RolloutControl
{
    public const string Annotation = "test.daprsecurity.io/rollout";
    public const string Fail = "fail";
    public const string Hang = "hang";

    internal static string? Of(System.Text.Json.Nodes.JsonObject podOrTemplate) =>
        podOrTemplate.Text("metadata", "annotations", Annotation);
}
