using System.Text.Json.Nodes;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Manifests;

/// <summary>One Kubernetes object (a YAML document with apiVersion and kind) in a manifest file.</summary>
internal sealed class ManifestObject
{
    private JsonObject? _json;

    private ManifestObject(ManifestFile file, IReadOnlyList<ManifestDocument> fileDocuments, ManifestDocument document, JsonObject? json)
    {
        File = file;
        FileDocuments = fileDocuments;
        Document = document;
        _json = json;
    }

    /// <summary>The file as read.</summary>
    public ManifestFile File { get; }

    /// <summary>Every document of the file, as parsed from <see cref="File"/>.</summary>
    public IReadOnlyList<ManifestDocument> FileDocuments { get; }

    /// <summary>The object's document.</summary>
    public ManifestDocument Document { get; }

    /// <summary>
    /// The document as JSON; made on first use for a document that reads as JSON (<see cref="ManifestDocument.ReadsAsJson"/>),
    /// which most workloads of a scan never need: their app-id is read from the tree.
    /// </summary>
    public JsonObject Json => _json ??= ManifestJson.KubernetesObject(Document, File.Path)!;

    public string ApiVersion => Text("apiVersion") ?? "";

    public string Kind => Text("kind") ?? "";

    /// <summary>metadata.namespace; empty when the manifest leaves it to kubectl -n or kustomize.</summary>
    public string Namespace => Text("metadata", "namespace") ?? "";

    public string Name => Text("metadata", "name") ?? "";

    /// <summary>"path:line" of the document's first line.</summary>
    public string Source => $"{File.Path}:{Document.Line}";

    /// <summary>
    /// The Kubernetes object <paramref name="document"/> holds, or null when it holds none (it is not a mapping with
    /// kind and apiVersion). A document that cannot be read as JSON is an error here, not where its JSON is first used.
    /// </summary>
    public static ManifestObject? Of(ManifestFile file, IReadOnlyList<ManifestDocument> documents, ManifestDocument document)
    {
        if (!document.ReadsAsJson)
        {
            return ManifestJson.KubernetesObject(document, file.Path) is { } json ? new ManifestObject(file, documents, document, json) : null;
        }

        static bool Has(ManifestNode root, string key) => root.Entry(key)?.Value is { } value && !value.IsNull;
        return document.Root is { Kind: ManifestNodeKind.Mapping } root && Has(root, "kind") && Has(root, "apiVersion") ? new ManifestObject(file, documents, document, null) : null;
    }

    /// <summary>The text at <paramref name="path"/> as <see cref="JsonText.Of(JsonNode?, string[])"/> reads it from <see cref="Json"/>; from the tree while that reads the same.</summary>
    public string? Text(params string[] path)
    {
        // A collection there reads as its JSON text, which only the view has.
        return _json is null && Document.ReadsAsJson && Document.Root!.Find(path)?.Value.Kind is null or ManifestNodeKind.Scalar
            ? Document.Root!.ScalarText(path)
            : JsonText.Of(Json, path);
    }
}
