using System.Text.Json.Nodes;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Manifests;

/// <summary>One Kubernetes object (a YAML document with apiVersion and kind) in a manifest file.</summary>
/// <param name="File">The file as read.</param>
/// <param name="FileDocuments">Every document of the file, as parsed from <paramref name="File"/>.</param>
/// <param name="Document">The object's document.</param>
/// <param name="Json">The document as JSON.</param>
internal sealed record ManifestObject(ManifestFile File, IReadOnlyList<ManifestDocument> FileDocuments, ManifestDocument Document, JsonObject Json)
{
    public string ApiVersion => JsonText.Of(Json, "apiVersion") ?? "";

    public string Kind => JsonText.Of(Json, "kind") ?? "";

    /// <summary>metadata.namespace; empty when the manifest leaves it to kubectl -n or kustomize.</summary>
    public string Namespace => JsonText.Of(Json, "metadata", "namespace") ?? "";

    public string Name => JsonText.Of(Json, "metadata", "name") ?? "";

    /// <summary>"path:line" of the document's first line.</summary>
    public string Source => $"{File.Path}:{Document.Line}";
}
