using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Manifests;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// Applies scope edits to the Components of one manifest file: rewrites only their scopes lines, checks that the result
/// parses to the same objects with the new scopes, and replaces the file atomically, once for all of them. If the file
/// changed on disk since it was read, the edits are redone on the new content rather than overwriting it.
/// </summary>
internal static class ManifestComponentEditor
{
    /// <summary>
    /// Edits the components <paramref name="edits"/> name, all read from one file (read once, written once when anything
    /// changed). Returns one outcome per edit, in order: the component and its document as the file now has them, or the
    /// error that left that component as it was (the others are still edited). A failure of the file itself (it cannot
    /// be written, the edit would change more than the scopes) throws, and nothing is written.
    /// </summary>
    public static IReadOnlyList<ManifestEditOutcome> Apply(IReadOnlyList<(ManifestObject Target, ScopeEdit Edit)> edits, IEngineHost host)
    {
        var first = edits[0].Target;
        var path = first.File.Path;
        return ConflictRetry.Run(
            attempt =>
            {
                var file = attempt > 1 ? ManifestFile.Read(path) : first.File;
                var documents = attempt > 1 ? ManifestParser.Parse(file.Text, path) : first.FileDocuments;
                var editor = new ManifestScopeEditor(file.Text, file.NewLine, documents);
                var outcomes = new ManifestEditOutcome[edits.Count];
                var spliced = new List<(int Edit, ManifestDocument Document, ComponentDocument Before, IReadOnlyList<string> Scopes)>();
                for (var i = 0; i < edits.Count; i++)
                {
                    try
                    {
                        var (document, component, scopes) = Plan(edits[i].Target, edits[i].Edit, documents, spliced.Select(s => s.Document.Index), path);
                        if (scopes is null)
                        {
                            outcomes[i] = new ManifestEditOutcome(component, document, null);
                            continue;
                        }

                        editor.Splice(document, scopes, $"{path}:{edits[i].Target.Document.Line}");
                        spliced.Add((i, document, component, scopes));
                    }
                    catch (DaprSecurityException error)
                    {
                        outcomes[i] = new ManifestEditOutcome(null, null, error);
                    }
                }

                if (spliced.Count > 0)
                {
                    var text = editor.Apply();
                    var parsed = ManifestParser.Parse(text, path);
                    foreach (var (edit, document, before, scopes) in spliced)
                    {
                        outcomes[edit] = Verify(parsed, document, before, scopes, path);
                    }

                    file.Replace(text);
                    host.WriteVerbose($"{path}: wrote the new scopes of {spliced.Count} component{(spliced.Count == 1 ? "" : "s")}.");
                }

                return outcomes;
            },
            changed => changed is ManifestChangedException,
            _ => host.WriteVerbose($"{path} changed on disk during the edit; redoing it on the new content."),
            changed => DaprErrors.ManifestChanged.Raise($"{path} kept changing on disk during the edit; it was left as the other writer left it.", path, changed));
    }

    /// <summary>Finds one target in the file and decides its new scopes (null: already as asked).</summary>
    private static (ManifestDocument Document, ComponentDocument Component, IReadOnlyList<string>? Scopes) Plan(ManifestObject target, ScopeEdit edit, IReadOnlyList<ManifestDocument> documents, IEnumerable<int> taken, string path)
    {
        var where = $"{path}:{target.Document.Line}";
        var (document, component) = Locate(documents, target, path) is { } found && !taken.Contains(found.Item1.Index)
            ? found
            : throw DaprErrors.ComponentNotFound.Raise($"{path}: component '{target.Name}' is no longer in the file.", where);
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
        return (document, component, result.SequenceEqual(component.Scopes, StringComparer.Ordinal) ? null : result);
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
    /// Guards the file: the edited text must parse to the same documents, each edited one equal to the original except
    /// for its new scopes. Anything else is a defect in the editor, and nothing is written.
    /// </summary>
    private static ManifestEditOutcome Verify(IReadOnlyList<ManifestDocument> documents, ManifestDocument original, ComponentDocument before, IReadOnlyList<string> scopes, string path)
    {
        var edited = documents.ElementAtOrDefault(original.Index);
        var after = edited is not null && ManifestJson.From(edited.Root, path) is JsonObject json ? new ComponentDocument(json) : null;
        if (after is null || !after.Scopes.SequenceEqual(scopes, StringComparer.Ordinal) || !JsonNode.DeepEquals(WithoutScopes(before.Json), WithoutScopes(after.Json)))
        {
            throw DaprErrors.ManifestEditUnsafe.Raise($"{path}:{original.Line}: the scopes of '{before.Name}' could not be rewritten without changing anything else; the file was not edited.", path, recommendedAction: "Edit the scopes by hand and report the file's layout as a bug.");
        }

        return new ManifestEditOutcome(after, edited!, null);
    }

    private static JsonObject WithoutScopes(JsonObject json)
    {
        var copy = (JsonObject)json.DeepClone();
        copy.Remove("scopes");
        return copy;
    }
}
