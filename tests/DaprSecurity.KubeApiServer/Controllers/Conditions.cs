using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>
/// Status conditions whose timestamps only move when the condition changes, so an unchanged status compares equal.
/// A null status is "Unknown".
/// </summary>
internal static class Conditions
{
    public static JsonObject Make(JsonObject? previousStatus, string type, bool? status, string? reason, string? message,
        bool withUpdateTime = true)
    {
        var statusText = status switch { true => "True", false => "False", null => "Unknown" };
        var previous = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Text("type") == type);
        var now = DateTimeOffset.UtcNow.ToKubernetesTime();
        var unchanged = previous?.Text("status") == statusText;
        var condition = new JsonObject { ["type"] = type, ["status"] = statusText };
        if (withUpdateTime)
        {
            condition["lastUpdateTime"] = unchanged && previous!.Text("reason") == reason ? previous.Text("lastUpdateTime") : now;
        }
        condition["lastTransitionTime"] = unchanged ? previous!.Text("lastTransitionTime") : now;
        if (reason is not null)
        {
            condition["reason"] = reason;
        }
        if (message is not null)
        {
            condition["message"] = message;
        }
        return condition;
    }
}
