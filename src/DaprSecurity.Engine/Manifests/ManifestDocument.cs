namespace DaprSecurity.Engine.Manifests;

/// <summary>A key that appears twice in one mapping; Kubernetes rejects such documents.</summary>
internal sealed record DuplicateKey(string Path, int Line);

/// <summary>One document of a YAML stream (files may hold several, separated by ---).</summary>
/// <param name="Index">0-based position of the document in its file.</param>
/// <param name="Root">The root node; null for an empty document.</param>
/// <param name="Duplicates">Keys defined twice in the same mapping anywhere in the document.</param>
internal sealed record ManifestDocument(int Index, ManifestNode? Root, IReadOnlyList<DuplicateKey> Duplicates)
{
    /// <summary>A mapping of the document has a merge key (&lt;&lt;: *defaults).</summary>
    public bool HasMergeKeys { get; init; }

    /// <summary>The document refers to an anchor (*name).</summary>
    public bool HasAliases { get; init; }

    /// <summary>
    /// Its tree reads exactly as its JSON view (<see cref="ManifestJson.From"/>) does, and the view can be made: no
    /// aliases to follow, no merge keys, no key written twice, fewer nodes than the view's budget. A value can then be
    /// looked up in the tree without making the view.
    /// </summary>
    public bool ReadsAsJson => !HasAliases && !HasMergeKeys && Duplicates.Count == 0 && (Root?.Tree.Count ?? 0) < ManifestJson.MaxNodes;

    /// <summary>1-based line where the document's content starts.</summary>
    public int Line => Root?.Line ?? 1;
}
