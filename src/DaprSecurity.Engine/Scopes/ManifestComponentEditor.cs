using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Manifests;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// Applies a scope edit to one Component in a manifest file: rewrites only the scopes lines, checks that the result
/// parses to the same object with the new scopes, and replaces the file atomically. If the file changed on disk
/// since it was read, the edit is redone on the new content rather than overwriting it.
/// </summary>
internal static class ManifestComponentEditor
{
    /// <summary>Returns the component as the file now has it, with its document.</summary>
    /// <param name="target">The component as it was read.</param>
    /// <param name="edit">The intended change.</param>
    /// <param name="reread">True when the file may have been rewritten since <paramref name="target"/> was read (by an earlier edit of the same command).</param>
    /// <param name="host">For messages.</param>
    public static (ComponentDocument Component, ManifestFile File, ManifestDocument Document) Apply(ManifestObject target, ScopeEdit edit, bool reread, IEngineHost host)
    {
        var path = target.File.Path;
        var where = $"{path}:{target.Document.Line}";
        return ConflictRetry.Run(
            attempt =>
            {
                var file = attempt > 1 || reread ? ManifestFile.Read(path) : target.File;
                var documents = file == target.File ? target.FileDocuments : ManifestParser.Parse(file.Text, path);
                var (document, component) = Locate(documents, target, path) ?? throw DaprErrors.ComponentNotFound.Raise($"{path}: component '{target.Name}' is no longer in the file.", where);
                if (document.Duplicates.Count > 0)
                {
                    throw DaprErrors.ManifestDuplicateKey.Raise($"{path}:{document.Duplicates[0].Line}: '{document.Duplicates[0].Path}' is defined twice; the document was not edited.", where, recommendedAction: "Remove one of the two keys.");
                }

                if (!component.ScopesAreValid)
                {
                    throw DaprErrors.ComponentScopesInvalid.Raise($"{where}: 'scopes' of component '{component.Name}' is not a list of app-ids; the file was not edited.", where);
                }

                var result = edit.ApplyTo(component.Scopes);
                edit.CheckNotUnscoping(component.DisplayName, component.Scopes, result);
                if (result.SequenceEqual(component.Scopes, StringComparer.Ordinal))
                {
                    return (component, file, document);
                }

                var text = new ManifestScopeEditor(file.Text, file.NewLine, documents).Rewrite(document, result, where);
                var (updated, updatedDocument) = Verify(text, document, component, result, path);
                file.Replace(text);
                return (updated, file, updatedDocument);
            },
            changed => changed is ManifestChangedException,
            _ => host.WriteVerbose($"{path} changed on disk during the edit; redoing it on the new content."),
            changed => DaprErrors.ManifestChanged.Raise($"{path} kept changing on disk during the edit; it was left as the other writer left it.", path, changed));
    }

    /// <summary>The document the target came from: the same position if it still holds the component, else the first document with its namespace and name.</summary>
    private static (ManifestDocument, ComponentDocument)? Locate(IReadOnlyList<ManifestDocument> documents, ManifestObject target, string path)
    {
        foreach (var document in documents.OrderBy(d => d.Index == target.Document.Index ? 0 : 1))
        {
            if (ManifestJson.From(document.Root, path) is JsonObject json && DaprResource.Component.Is(json)
                && new ComponentDocument(json) is var component && component.Namespace == target.Namespace && component.Name == target.Name)
            {
                return (document, component);
            }
        }

        return null;
    }

    /// <summary>
    /// Guards the file: the edited text must parse to the same documents, the edited one equal to the original except
    /// for its new scopes. Anything else is a defect in the editor, and nothing is written.
    /// </summary>
    private static (ComponentDocument, ManifestDocument) Verify(string text, ManifestDocument original, ComponentDocument before, IReadOnlyList<string> scopes, string path)
    {
        var documents = ManifestParser.Parse(text, path);
        var edited = documents.ElementAtOrDefault(original.Index);
        var after = edited is not null && ManifestJson.From(edited.Root, path) is JsonObject json ? new ComponentDocument(json) : null;
        if (after is null || !after.Scopes.SequenceEqual(scopes, StringComparer.Ordinal) || !JsonNode.DeepEquals(WithoutScopes(before.Json), WithoutScopes(after.Json)))
        {
            throw DaprErrors.ManifestEditUnsafe.Raise($"{path}:{original.Line}: the scopes of '{before.Name}' could not be rewritten without changing anything else; the file was not edited.", path, recommendedAction: "Edit the scopes by hand and report the file's layout as a bug.");
        }

        return (after, edited!);
    }

    private static JsonObject WithoutScopes(JsonObject json)
    {
        var copy = (JsonObject)json.DeepClone();
        copy.Remove("scopes");
        return copy;
    }
}
