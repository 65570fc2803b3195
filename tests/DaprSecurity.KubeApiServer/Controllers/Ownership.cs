using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Controllers;

/// <summary>ownerReferences: building them, and finding an object's dependents and its controlling workload.</summary>
internal static class Ownership
{
    public static JsonObject ReferenceTo(JsonObject owner) => new()
    {
        ["apiVersion"] = owner.Text("apiVersion"),
        ["kind"] = owner.Text("kind"),
        ["name"] = owner.Name(),
        ["uid"] = owner.Text("metadata", "uid"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>Objects of <paramref name="type"/> in <paramref name="ns"/> that name <paramref name="ownerUid"/> as an owner.</summary>
    public static IReadOnlyList<JsonObject> Dependents(ObjectStore store, ResourceType type, string ns, string ownerUid) =>
        store.List(type.Group, type.Plural, ns, (_, node) => IsOwnedBy(node, ownerUid)).Items.Select(i => i.ToJsonObject()).ToList();

    /// <summary>The controller reference (kind and name) of an object, if any.</summary>
    public static (string Kind, string Name)? ControllerOf(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Where(r => r.Flag("controller"))
            .Select(r => ((string Kind, string Name)?)(r.Text("kind") ?? "", r.Text("name") ?? ""))
            .FirstOrDefault();

    private static bool IsOwnedBy(JsonObject obj, string uid) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.Any(r => r.Text("uid") == uid) ?? false;
}
