using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Semantics;

namespace DaprSecurity.KubeApiServer.Controllers;

internal static class StatusWrites
{
    /// <summary>
    /// Writes an object's status as its controller computed it, unless a client deleted the object since the controller
    /// read it: as for a real controller, that lost race leaves no status to write and is not an error.
    /// </summary>
    public static void UpdateStatusUnlessGone(this ResourceOperations operations, ResourceType type, string ns, string name, JsonObject status)
    {
        try
        {
            operations.UpdateStatus(type, ns, name, new JsonObject { ["status"] = status });
        }
        catch (ApiException gone) when (gone.Code == 404)
        {
        }
    }
}
