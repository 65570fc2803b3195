using System.Text.Json.Nodes;

namespace DaprSecurity.KubeApiServer.Storage;

/// <summary>
/// One stored version of an object. The tree (<see cref="Node"/>) is only read while holding the store lock, because
/// <c>JsonNode</c> is not safe for concurrent readers; everyone else uses the UTF-8 JSON taken at write time.
/// </summary>
public sealed class StoredObject
{
    internal StoredObject(ObjectKey key, JsonObject node, long resourceVersion)
    {
        Key = key;
        Node = node;
        ResourceVersion = resourceVersion;
        Json = node.ToUtf8Json();
    }

    public ObjectKey Key { get; }

    public long ResourceVersion { get; }

    /// <summary>The object as sent to clients.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    internal JsonObject Node { get; }

    /// <summary>A private, mutable copy of the object.</summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(Json.Span)!.AsObject();
}

/// <summary>A change as watchers see it: ADDED, MODIFIED or DELETED with the object's state at that revision.</summary>
public sealed record WatchEvent(string Type, StoredObject Object)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";

    public long ResourceVersion => Object.ResourceVersion;
}
