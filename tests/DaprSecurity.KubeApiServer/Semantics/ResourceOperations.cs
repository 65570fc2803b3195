using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Patching;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Storage;

namespace DaprSecurity.KubeApiServer.Semantics;

/// <summary>The result of a write that may create: the stored object and whether it was created (201) or changed (200).</summary>
public sealed record WriteResult(StoredObject Object, bool Created);

/// <summary>
/// The apiserver's write semantics on top of <see cref="ObjectStore"/>: create, update, status update, the four patch kinds,
/// delete, plus server-owned metadata, optimistic locking, defaults, validation and admission (the sidecar injector).
/// HTTP handlers, manifest seeding and the controllers all write through here, so every writer sees the same rules.
/// Each operation runs atomically under the store lock.
/// </summary>
public sealed class ResourceOperations(ObjectStore store, SidecarInjector injector)
{
    public ObjectStore Store => store;

    public StoredObject Create(ResourceType type, string? ns, JsonObject obj, bool dryRun = false) => store.Atomically(() =>
    {
        ns = ResolveNamespace(type, ns, obj);
        var name = AssignName(type, ns, obj.Metadata());
        NameValidation.Validate(type, name);
        if (type.Namespaced && !store.Exists(ObjectKey.ForNamespace(ns!)))
        {
            throw StatusResponses.NamespaceNotFound(ns!);
        }
        var key = ObjectKey.For(type, ns, name);
        if (store.Exists(key))
        {
            throw StatusResponses.AlreadyExists(type, name);
        }

        StampNewObject(type, obj);
        ObjectDefaults.Apply(type, obj);
        ConfigDataRules.Apply(type, current: null, obj);
        if (type == ResourceRegistry.Pods)
        {
            injector.Inject(obj, store);
        }
        return Commit(key, obj, dryRun);
    });

    /// <summary>PUT: replaces the object, guarded by resourceVersion (required for custom resources).</summary>
    public StoredObject Update(ResourceType type, string? ns, string name, JsonObject obj, bool dryRun = false) => store.Atomically(() =>
    {
        var key = ObjectKey.For(type, ns, name);
        var current = store.GetCopy(key) ?? throw StatusResponses.NotFound(type, name);
        CheckIdentity(type, key, obj);
        CheckResourceVersion(type, current, obj, requireForCustomResources: true);
        return Replace(type, key, current, obj, dryRun);
    });

    /// <summary>PUT on <c>/status</c>: changes only the status, never the generation.</summary>
    public StoredObject UpdateStatus(ResourceType type, string? ns, string name, JsonObject obj, bool dryRun = false) => store.Atomically(() =>
    {
        var key = ObjectKey.For(type, ns, name);
        var current = store.GetCopy(key) ?? throw StatusResponses.NotFound(type, name);
        CheckIdentity(type, key, obj);
        CheckResourceVersion(type, current, obj, requireForCustomResources: false);
        return ReplaceStatus(key, current, obj["status"], dryRun);
    });

    /// <summary>PATCH on the object or its <c>/status</c>. Apply patches create a missing object.</summary>
    public WriteResult Patch(ResourceType type, string? ns, string name, string? subresource, PatchKind kind, JsonNode? patch,
        string? fieldManager, bool dryRun = false) => store.Atomically(() =>
    {
        if (kind == PatchKind.StrategicMerge && type.IsCustomResource)
        {
            throw StatusResponses.UnsupportedMediaType(MediaTypes.StrategicMergePatch, [MediaTypes.JsonPatch, MediaTypes.MergePatch, MediaTypes.ApplyPatch]);
        }
        if (kind == PatchKind.Apply && string.IsNullOrEmpty(fieldManager))
        {
            throw StatusResponses.Invalid("PatchOptions.meta.k8s.io", "", [FieldError.Required("fieldManager", "is required for apply patch")]);
        }
        var key = ObjectKey.For(type, ns, name);
        var current = store.GetCopy(key);
        if (current is null && kind == PatchKind.Apply && subresource is null)
        {
            var applied = AsObject(patch);
            applied.Metadata()["name"] = name;
            return new WriteResult(Create(type, ns, applied, dryRun), Created: true);
        }
        if (current is null)
        {
            throw StatusResponses.NotFound(type, name);
        }

        var patched = ApplyPatch(type, kind, current.DeepClone().AsObject(), patch);
        if (patched.Text("metadata", "resourceVersion") is { } version && version != current.Text("metadata", "resourceVersion"))
        {
            throw StatusResponses.Conflict(type, name);
        }
        var result = subresource == "status"
            ? ReplaceStatus(key, current, patched["status"], dryRun)
            : Replace(type, key, current, patched, dryRun);
        return new WriteResult(result, Created: false);
    });

    public StoredObject Delete(ResourceType type, string? ns, string name, bool dryRun = false) => store.Atomically(() =>
    {
        var key = ObjectKey.For(type, ns, name);
        var current = store.Get(key) ?? throw StatusResponses.NotFound(type, name);
        if (dryRun)
        {
            return current;
        }
        if (type == ResourceRegistry.Namespaces)
        {
            // The real namespace controller empties the namespace asynchronously; doing it at once is what tests want.
            store.RemoveNamespaceContents(name);
        }
        return store.Remove(key)!;
    });

    /// <summary>Seeding: creates the object, or replaces it whatever its resourceVersion.</summary>
    public WriteResult CreateOrReplace(ResourceType type, JsonObject obj) => store.Atomically(() =>
    {
        var ns = ResolveNamespace(type, obj.Text("metadata", "namespace") ?? (type.Namespaced ? "default" : null), obj);
        var key = ObjectKey.For(type, ns, obj.Name());
        var current = store.GetCopy(key);
        if (current is null)
        {
            return new WriteResult(Create(type, ns, obj), Created: true);
        }
        obj.Metadata().Remove("resourceVersion");
        return new WriteResult(Replace(type, key, current, obj, dryRun: false), Created: false);
    });

    /// <summary>The name from the body, or <c>generateName</c> plus a random suffix that is not taken yet.</summary>
    private string AssignName(ResourceType type, string? ns, JsonObject meta)
    {
        if (meta.Text("name") is { Length: > 0 } name)
        {
            return name;
        }
        var prefix = meta.Text("generateName");
        if (string.IsNullOrEmpty(prefix))
        {
            throw StatusResponses.Invalid(type, "", FieldError.Required("metadata.name", "name or generateName is required"));
        }
        do
        {
            name = prefix + NameGenerator.RandomSuffix();
        }
        while (store.Exists(ObjectKey.For(type, ns, name)));
        meta["name"] = name;
        return name;
    }

    /// <summary>The fields the server owns on a new object: type, uid, creation time, generation, and no client-set status.</summary>
    private static void StampNewObject(ResourceType type, JsonObject obj)
    {
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        var meta = obj.Metadata();
        meta.Remove("resourceVersion");
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = DateTimeOffset.UtcNow.ToKubernetesTime();
        if (type.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }
        if (type.HasStatusSubresource)
        {
            obj.Remove("status");
            if (ObjectDefaults.InitialStatus(type) is { } status)
            {
                obj["status"] = status;
            }
        }
    }

    private static JsonObject ApplyPatch(ResourceType type, PatchKind kind, JsonObject target, JsonNode? patch)
    {
        switch (kind)
        {
            case PatchKind.Json:
                var operations = patch as JsonArray ?? throw StatusResponses.BadRequest("a JSON patch must be an array of operations");
                return JsonPatch.Apply(target, operations) as JsonObject
                    ?? throw StatusResponses.UnprocessablePatch("the patched document is not an object");
            case PatchKind.StrategicMerge:
            case PatchKind.Apply when !type.IsCustomResource:
                StrategicMergePatch.Apply(target, AsObject(patch));
                return target;
            default:
                return (JsonObject)MergePatch.Apply(target, AsObject(patch))!;
        }
    }

    /// <summary>Writes a new version of an existing object: server-owned fields are kept, the generation follows the spec.</summary>
    private StoredObject Replace(ResourceType type, ObjectKey key, JsonObject current, JsonObject desired, bool dryRun)
    {
        desired["apiVersion"] = type.ApiVersion;
        desired["kind"] = type.Kind;
        var meta = desired.Metadata();
        var currentMeta = current.Metadata();
        foreach (var field in new[] { "uid", "creationTimestamp", "generation" })
        {
            if (currentMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }
        meta["name"] = key.Name;
        if (type.Namespaced)
        {
            meta["namespace"] = key.Namespace;
        }
        if (type.HasStatusSubresource)
        {
            desired["status"] = current["status"]?.DeepClone();
        }
        ObjectDefaults.Apply(type, desired);
        ConfigDataRules.Apply(type, current, desired);
        if (type.TracksGeneration && GenerationChanges(type, current, desired))
        {
            meta["generation"] = (current.Number("metadata", "generation") ?? 0) + 1;
        }
        return Commit(key, desired, dryRun);
    }

    private StoredObject ReplaceStatus(ObjectKey key, JsonObject current, JsonNode? status, bool dryRun)
    {
        current["status"] = status?.DeepClone();
        return Commit(key, current, dryRun);
    }

    /// <summary>
    /// Everything except metadata (and status, when it is a subresource) counts as spec; deployments also count
    /// annotation changes (kubernetes <c>pkg/registry/apps/deployment/strategy.go</c>).
    /// </summary>
    private static bool GenerationChanges(ResourceType type, JsonObject current, JsonObject desired)
    {
        if (type == ResourceRegistry.Deployments
            && !JsonNode.DeepEquals(current["metadata"]?["annotations"], desired["metadata"]?["annotations"]))
        {
            return true;
        }
        return !JsonNode.DeepEquals(SpecPart(type, current), SpecPart(type, desired));
    }

    private static JsonObject SpecPart(ResourceType type, JsonObject obj)
    {
        var part = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (name is not ("metadata" or "apiVersion" or "kind") && !(name == "status" && type.HasStatusSubresource))
            {
                part[name] = value?.DeepClone();
            }
        }
        return part;
    }

    private StoredObject Commit(ObjectKey key, JsonObject obj, bool dryRun) =>
        dryRun ? new StoredObject(key, obj, store.CurrentRevision) : store.Put(key, obj);

    /// <summary>The namespace of a write: from the URL, from the body, and the two must agree (400 otherwise).</summary>
    private static string? ResolveNamespace(ResourceType type, string? ns, JsonObject obj)
    {
        var meta = obj.Metadata();
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }
        var bodyNamespace = meta.Text("namespace");
        if (!string.IsNullOrEmpty(ns) && !string.IsNullOrEmpty(bodyNamespace) && ns != bodyNamespace)
        {
            throw StatusResponses.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        var resolved = string.IsNullOrEmpty(ns) ? bodyNamespace : ns;
        if (string.IsNullOrEmpty(resolved))
        {
            throw StatusResponses.BadRequest("the server could not find the requested resource: namespace is required");
        }
        meta["namespace"] = resolved;
        return resolved;
    }

    private static void CheckIdentity(ResourceType type, ObjectKey key, JsonObject obj)
    {
        var bodyName = obj.Text("metadata", "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != key.Name)
        {
            throw StatusResponses.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({key.Name})");
        }
        ResolveNamespace(type, key.Namespace, obj);
    }

    /// <summary>
    /// An empty body resourceVersion means an unconditional update for built-in kinds, but 422 for custom resources
    /// (apiextensions-apiserver <c>AllowUnconditionalUpdate() false</c>); a stale one is a 409 Conflict.
    /// </summary>
    private static void CheckResourceVersion(ResourceType type, JsonObject current, JsonObject obj, bool requireForCustomResources)
    {
        var version = obj.Text("metadata", "resourceVersion");
        if (string.IsNullOrEmpty(version))
        {
            if (type.IsCustomResource && requireForCustomResources)
            {
                throw StatusResponses.Invalid(type, current.Name(),
                    new FieldError("FieldValueInvalid", "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update"));
            }
            return;
        }
        if (version != current.Text("metadata", "resourceVersion"))
        {
            throw StatusResponses.Conflict(type, current.Name());
        }
    }

    private static JsonObject AsObject(JsonNode? patch) =>
        patch as JsonObject ?? throw StatusResponses.BadRequest("the patch must be a JSON object");
}
