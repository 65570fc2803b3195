using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// Reads and edits Components in the cluster with optimistic concurrency: each write is a JSON merge patch that
/// carries the resourceVersion it was computed from, so the API server refuses it (409) if anyone changed the
/// component since; the editor then re-reads it and re-applies the intended change to what is there now.
/// </summary>
internal sealed class ClusterScopeEditor
{
    private const string FieldManager = "DaprSecurity";

    private readonly ClusterConnection _cluster;
    private readonly IEngineHost _host;

    public ClusterScopeEditor(ClusterConnection cluster, IEngineHost host)
    {
        _cluster = cluster;
        _host = host;
    }

    public async Task<ComponentDocument> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var json = await _cluster.GetOrNullAsync(
            (c, ct) => c.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(DaprResource.Group, DaprResource.Version, @namespace, DaprResource.Component.Plural, name, ct),
            $"component {@namespace}/{name}",
            cancellationToken).ConfigureAwait(false);
        return json is null
            ? throw DaprErrors.ComponentNotFound.Raise($"No component named '{name}' in namespace '{@namespace}'.", name)
            : new ComponentDocument(json);
    }

    /// <summary>Applies <paramref name="edit"/>, retrying on conflicts; returns the component as the server now has it.</summary>
    public Task<ComponentDocument> ApplyAsync(ComponentDocument component, ScopeEdit edit, CancellationToken cancellationToken)
    {
        var current = component;
        return ConflictRetry.RunAsync(
            async _ =>
            {
                var result = edit.ApplyTo(current.Scopes);
                edit.CheckNotUnscoping(current.DisplayName, current.Scopes, result);
                return result.SequenceEqual(current.Scopes, StringComparer.Ordinal) ? current : await PatchAsync(current, result, cancellationToken).ConfigureAwait(false);
            },
            conflict => conflict is DaprSecurityException e && e.Is(DaprErrors.KubeApiConflict),
            async _ =>
            {
                var fresh = await GetAsync(current.Namespace, current.Name, cancellationToken).ConfigureAwait(false);
                _host.WriteVerbose($"Component '{current.DisplayName}' changed since it was read (resourceVersion {current.ResourceVersion} is now {fresh.ResourceVersion}); re-applying the change to it.");
                if (!fresh.Scopes.SequenceEqual(current.Scopes, StringComparer.Ordinal))
                {
                    _host.WriteWarning($"The scopes of component '{current.DisplayName}' were changed by someone else during this edit (to {ScopeEdit.List(fresh.Scopes)}). That change was kept and this one applied on top of it.");
                }

                current = fresh;
            },
            conflict => DaprErrors.ComponentScopeConflict.Raise($"Component '{current.DisplayName}' kept changing while its scopes were edited ({ConflictRetry.MaxAttempts} attempts); nothing was changed.", current.DisplayName, conflict, "Run the command again once the other writer is done."));
    }

    private async Task<ComponentDocument> PatchAsync(ComponentDocument current, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = current.ResourceVersion },
            ["scopes"] = scopes.Count == 0 ? null : new JsonArray(scopes.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        };
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        var updated = await _cluster.CallAsync(
            (c, ct) => c.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(body, DaprResource.Group, DaprResource.Version, current.Namespace, DaprResource.Component.Plural, current.Name, fieldManager: FieldManager, cancellationToken: ct),
            $"component {current.DisplayName}",
            cancellationToken).ConfigureAwait(false);
        return new ComponentDocument(updated);
    }
}
