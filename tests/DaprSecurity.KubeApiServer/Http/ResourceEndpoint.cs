using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Selectors;
using DaprSecurity.KubeApiServer.Semantics;
using DaprSecurity.KubeApiServer.Storage;
using DaprSecurity.KubeApiServer.Tables;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>
/// The REST surface of one resource: get, list (selectors, paging, Tables), watch, create, update, patch, delete and
/// deletecollection, plus <c>/status</c>. Query options the apiserver accepts but that change nothing here
/// (<c>timeout</c>, <c>fieldManager</c> other than for apply, <c>fieldValidation</c>, <c>pretty</c>, <c>force</c>) are ignored.
/// </summary>
internal sealed class ResourceEndpoint(ResourceOperations operations, CancellationToken stopping)
{
    private ObjectStore Store => operations.Store;

    public Task HandleAsync(HttpContext context, ApiRequest request)
    {
        var type = request.Type ?? throw StatusResponses.PathNotFound();
        if (request.Subresource is not null && (request.Subresource != "status" || !type.HasStatusSubresource))
        {
            throw StatusResponses.PathNotFound();
        }
        if (type.Namespaced && request.Namespace is null && request.Name is not null)
        {
            throw StatusResponses.PathNotFound();
        }
        var query = context.Request.Query;
        var dryRun = query["dryRun"].ToString() == "All";
        return request.Verb switch
        {
            "get" => GetAsync(context, type, request),
            "list" => ListAsync(context, type, request.Namespace),
            "watch" => WatchAsync(context, type, request.Namespace),
            "create" => CreateAsync(context, type, request, dryRun),
            "update" => UpdateAsync(context, type, request, dryRun),
            "patch" => PatchAsync(context, type, request, dryRun),
            "delete" => DeleteAsync(context, type, request, dryRun),
            "deletecollection" => DeleteCollectionAsync(context, type, request.Namespace, dryRun),
            _ => throw StatusResponses.MethodNotAllowed(request.Method),
        };
    }

    private Task GetAsync(HttpContext context, ResourceType type, ApiRequest request)
    {
        var stored = Store.Get(ObjectKey.For(type, request.Namespace, request.Name!)) ?? throw StatusResponses.NotFound(type, request.Name!);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            return ResponseWriter.WriteAsync(context, 200,
                TableBuilder.Build(type, [stored.ToJsonObject()], stored.ResourceVersion.ToString(CultureInfo.InvariantCulture)));
        }
        return ResponseWriter.WriteAsync(context, 200, stored.Json);
    }

    private Task ListAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var filter = Filter(context, type, ns);
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var after = query["continue"].ToString() is { Length: > 0 } token
            ? ContinueToken.Decode(token, Store.OldestResumableRevision)
            : ((string, string)?)null;
        var page = Store.List(type.Group, type.Plural, ns, filter, after, limit);
        var continueToken = page.Remaining > 0
            ? ContinueToken.Encode(page.Revision, page.Items[^1].Key.Namespace, page.Items[^1].Key.Name)
            : null;
        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            var table = TableBuilder.Build(type, page.Items.Select(i => i.ToJsonObject()),
                page.Revision.ToString(CultureInfo.InvariantCulture), continueToken);
            return ResponseWriter.WriteAsync(context, 200, table);
        }
        return ResponseWriter.WriteListAsync(context, type, page, continueToken);
    }

    private Task WatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var filter = Filter(context, type, ns);
        var version = query["resourceVersion"].ToString();
        long? from = version.Length == 0 ? null
            : long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw StatusResponses.BadRequest($"invalid resource version: {version}");
        TimeSpan? timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
        return WatchStream.StreamAsync(context, () => Store.Watch(filter, from, type.Group, type.Plural), timeout, stopping);
    }

    private async Task CreateAsync(HttpContext context, ResourceType type, ApiRequest request, bool dryRun)
    {
        if (request.Name is not null || (type.Namespaced && request.Namespace is null))
        {
            throw StatusResponses.MethodNotAllowed(request.Method);
        }
        var body = await RequestBody.ReadObjectAsync(context.Request);
        var created = operations.Create(type, request.Namespace, body, dryRun);
        await ResponseWriter.WriteAsync(context, StatusCodes.Status201Created, created.Json);
    }

    private async Task UpdateAsync(HttpContext context, ResourceType type, ApiRequest request, bool dryRun)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request);
        var updated = request.Subresource == "status"
            ? operations.UpdateStatus(type, request.Namespace, request.Name!, body, dryRun)
            : operations.Update(type, request.Namespace, request.Name!, body, dryRun);
        await ResponseWriter.WriteAsync(context, StatusCodes.Status200OK, updated.Json);
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, ApiRequest request, bool dryRun)
    {
        var (kind, patch) = await RequestBody.ReadPatchAsync(context.Request);
        var result = operations.Patch(type, request.Namespace, request.Name!, request.Subresource, kind, patch,
            context.Request.Query["fieldManager"].ToString(), dryRun);
        await ResponseWriter.WriteAsync(context, result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, result.Object.Json);
    }

    private async Task DeleteAsync(HttpContext context, ResourceType type, ApiRequest request, bool dryRun)
    {
        var options = await RequestBody.ReadOptionalJsonAsync(context.Request);
        dryRun |= options?["dryRun"] is JsonArray modes && modes.Any(m => m?.ToString() == "All");
        var deleted = operations.Delete(type, request.Namespace, request.Name!, dryRun);
        await ResponseWriter.WriteAsync(context, StatusCodes.Status200OK, deleted.Json);
    }

    private Task DeleteCollectionAsync(HttpContext context, ResourceType type, string? ns, bool dryRun)
    {
        var page = Store.List(type.Group, type.Plural, ns, Filter(context, type, ns));
        var deleted = page.Items.Select(item => operations.Delete(type, item.Key.Namespace, item.Key.Name, dryRun)).ToList();
        return ResponseWriter.WriteListAsync(context, type, page with { Items = deleted }, continueToken: null);
    }

    /// <summary>The list/watch filter from the URL namespace and the label and field selectors (400 when they do not parse).</summary>
    private static ObjectFilter Filter(HttpContext context, ResourceType type, string? ns)
    {
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], type);
        return (key, node) =>
            key.Group == type.Group && key.Resource == type.Plural
            && (string.IsNullOrEmpty(ns) || key.Namespace == ns)
            && labels.Matches(node["metadata"]?["labels"] as JsonObject)
            && fields.Matches(node);
    }
}
