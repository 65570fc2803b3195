using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>A failed API call; carries the Kubernetes <c>Status</c> object the client receives.</summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }
        status["code"] = Code;
        return status;
    }
}
